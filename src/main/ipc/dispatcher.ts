/**
 * The main-process side of the IPC contract, without Electron: checks the sender, validates the
 * arguments with the method's schema, calls the API, and turns any failure into an error view.
 * A service never sees an argument the schema did not accept.
 */
import { KURA_API_METHODS, type IpcResult, type KuraApi, type KuraMethod } from '../../shared/ipc';
import type { ErrorCode } from '../../shared/errors';
import { KuraError } from '../services/kuraError';
import { argumentSchemas } from './argumentSchemas';

/** The argument schemas' messages that name a KuraError code for what a person typed. */
const TYPED_INPUT_CODES = new Set<string>(['CODE_FORMAT', 'EMAIL_FORMAT', 'PASSWORD_FORMAT']);

/** What main knows about who sent a message (from Electron's IpcMainInvokeEvent). */
export interface SenderInfo {
  /** The URL of the frame that sent it. */
  frameUrl: string;
  isMainFrame: boolean;
  /** Whether the sender is one of the app's own windows. */
  isAppWindow: boolean;
}

/** Only the app's own window, its main frame, and the app's own origin may call. */
export function isTrustedSender(s: SenderInfo, appOrigin: string): boolean {
  if (!s.isAppWindow || !s.isMainFrame) return false;
  try {
    // Custom schemes (app://) have an opaque URL.origin ("null"): compare scheme and host.
    const u = new URL(s.frameUrl);
    return `${u.protocol}//${u.host}` === appOrigin;
  } catch {
    return false;
  }
}

export type Dispatch = (
  method: string,
  sender: SenderInfo,
  args: unknown[],
) => Promise<IpcResult<unknown>>;

export function createDispatcher(
  api: KuraApi,
  appOrigin: string,
  log: (message: string) => void = () => undefined,
): Dispatch {
  const methods = new Set<string>(KURA_API_METHODS);
  return async (method, sender, args) => {
    if (!methods.has(method)) {
      log(`refused IPC to unknown method ${JSON.stringify(method)}`);
      return { ok: false, error: { code: 'INVALID_ARGUMENT', detail: 'unknown method' } };
    }
    if (!isTrustedSender(sender, appOrigin)) {
      log(`refused IPC ${method} from untrusted sender ${sender.frameUrl}`);
      return { ok: false, error: { code: 'INVALID_ARGUMENT', detail: 'untrusted sender' } };
    }
    const m = method as KuraMethod;
    const parsed = argumentSchemas[m].safeParse(args);
    if (!parsed.success) {
      // What a person typed (a code, an email, a password) is refused in words they can act
      // on; anything else is the app's own fault, and its schema path stays out of the words.
      const typed = parsed.error.issues.find((i) => TYPED_INPUT_CODES.has(i.message));
      if (typed) return { ok: false, error: { code: typed.message as ErrorCode } };
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`)
        .join('; ');
      return { ok: false, error: { code: 'INVALID_ARGUMENT', detail } };
    }
    try {
      const call = Reflect.get(api, m) as (...a: unknown[]) => Promise<unknown>;
      return { ok: true, value: await Reflect.apply(call, api, parsed.data as unknown[]) };
    } catch (err) {
      const e =
        err instanceof KuraError
          ? err
          : new KuraError('UNKNOWN', (err as Error)?.message ?? String(err));
      return { ok: false, error: e.toView() };
    }
  };
}
