import { errorMessage, problemLines, type ErrorView } from '../shared/errors';
import { KURA_API_METHODS, type KuraBridge, type KuraWireBridge } from '../shared/ipc';

/** An error from main: its `view` holds the code and detail the UI turns into words. */
export class KuraRendererError extends Error {
  constructor(readonly view: ErrorView) {
    super(view.code);
    this.name = 'KuraRendererError';
  }
}

/**
 * The bridge as the renderer uses it: methods that resolve to their value or reject with a
 * KuraRendererError. `window.kura` itself answers with plain results because a contextBridge
 * copies a thrown Error as its message alone (the view would be lost on the way).
 */
export function fromWire(wire: KuraWireBridge): KuraBridge {
  const api: Record<string, unknown> = {};
  for (const method of KURA_API_METHODS) {
    const call = wire[method] as (...args: unknown[]) => ReturnType<KuraWireBridge['sessionView']>;
    api[method] = async (...args: unknown[]) => {
      const result = await call(...args);
      if (result.ok) return result.value;
      throw new KuraRendererError(result.error);
    };
  }
  api.on = wire.on;
  return Object.freeze(api) as unknown as KuraBridge;
}
/** The error view carried by anything a bridge call threw (UNKNOWN for anything else). */
function viewOf(err: unknown): ErrorView {
  return (
    (err as { view?: ErrorView }).view ?? {
      code: 'UNKNOWN' as const,
      detail: String((err as Error)?.message ?? err),
    }
  );
}

const language = (lang: string) => (lang === 'ja' ? 'ja' : 'en');

/** The message for anything a bridge call threw, in the UI's language. */
export function describeError(err: unknown, lang: string): string {
  return errorMessage(viewOf(err), language(lang));
}

/** What exactly is wrong, one line each (a profile's fields), when the error says. */
export function describeProblems(err: unknown, lang: string): string[] {
  return problemLines(viewOf(err), language(lang));
}
