/**
 * Builds `window.kura` from the contract: one function per method, plus `on` for events.
 * Transport-free (no Electron import), so the Electron preload and the browser transport
 * (e2e harness, demo without Electron) expose exactly the same object.
 *
 * Every method resolves to a plain `IpcResult` and never throws: a real contextBridge copies a
 * thrown (or rejected) Error into the page as `Error(message)` and drops its fields, so an
 * error's view must cross as data. src/renderer/api.ts turns results back into errors.
 */
import { CERTIFICATE_REASONS, type CertificateView, type Problem } from './errors';
import { IPC_CHANNEL_PREFIX, KURA_API_METHODS, type IpcResult, type KuraWireBridge } from './ipc';

/** An error's problems as plain strings (a password rule, a profile field), or none. */
function problemsOf(problems: unknown): { problems?: Problem[] } {
  if (!Array.isArray(problems)) return {};
  const plain: Problem[] = [];
  for (const p of problems as { field?: unknown; problem?: unknown; message?: unknown }[]) {
    if (typeof p?.problem !== 'string') continue;
    plain.push({
      ...(typeof p.field === 'string' ? { field: p.field } : {}),
      problem: p.problem,
      ...(typeof p.message === 'string' ? { message: p.message } : {}),
    });
  }
  return plain.length ? { problems: plain } : {};
}

/** A refused certificate as plain strings (TLS_UNTRUSTED names it), or none. */
function certificateOf(c: unknown): { certificate?: CertificateView } {
  const x = c as Record<string, unknown> | undefined;
  const reason = x?.reason;
  if (typeof reason !== 'string' || !Object.hasOwn(CERTIFICATE_REASONS, reason)) return {};
  if (typeof x!.host !== 'string') return {};
  const text = (k: string) => (typeof x![k] === 'string' ? x![k] : '');
  return {
    certificate: {
      host: x!.host,
      subject: text('subject'),
      issuer: text('issuer'),
      reason: reason as CertificateView['reason'],
      ...(text('validTo') ? { validTo: text('validTo') } : {}),
      ...(text('fingerprint') ? { fingerprint: text('fingerprint') } : {}),
    },
  };
}

/** A plain copy of main's answer, or an error view when the answer is not an IpcResult. */
function asResult(answer: unknown): IpcResult<unknown> {
  const r = answer as {
    ok?: unknown;
    value?: unknown;
    error?: { code?: unknown; detail?: unknown; problems?: unknown; certificate?: unknown };
  };
  if (r?.ok === true) return { ok: true, value: r.value };
  if (r?.ok === false && typeof r.error?.code === 'string') {
    const detail = typeof r.error.detail === 'string' ? { detail: r.error.detail } : {};
    const error = {
      code: r.error.code,
      ...detail,
      ...problemsOf(r.error.problems),
      ...certificateOf(r.error.certificate),
    };
    return { ok: false, error: error as never };
  }
  return { ok: false, error: { code: 'UNKNOWN', detail: 'main sent an answer of no known shape' } };
}

export function buildBridge(
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown>,
  subscribe: (listener: (message: unknown) => void) => () => void,
): KuraWireBridge {
  const api: Record<string, unknown> = {};
  for (const method of KURA_API_METHODS) {
    api[method] = async (...args: unknown[]): Promise<IpcResult<unknown>> => {
      try {
        return asResult(await invoke(`${IPC_CHANNEL_PREFIX}${method}`, ...args));
      } catch (err) {
        // The channel itself failed (no handler, the connection dropped): still a result.
        return {
          ok: false,
          error: { code: 'UNKNOWN', detail: String((err as Error)?.message ?? err) },
        };
      }
    };
  }
  api.on = (event: string, listener: (payload: unknown) => void) =>
    subscribe((message) => {
      const m = message as { event?: string; payload?: unknown };
      if (m.event === event) listener(m.payload);
    });
  return Object.freeze(api) as unknown as KuraWireBridge;
}
