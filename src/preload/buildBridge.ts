/**
 * Builds `window.kura` from the contract: one function per method, plus `on` for events.
 * Transport-free (no Electron import), so the Electron preload and the browser transport
 * (e2e harness, demo without Electron) expose exactly the same object.
 *
 * Every method resolves to a plain `IpcResult` and never throws: a real contextBridge copies a
 * thrown (or rejected) Error into the page as `Error(message)` and drops its fields, so an
 * error's view must cross as data. src/renderer/api.ts turns results back into errors.
 */
import type { Problem } from '../shared/errors';
import {
  IPC_CHANNEL_PREFIX,
  KURA_API_METHODS,
  type IpcResult,
  type KuraWireBridge,
} from '../shared/ipc';

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

/** A plain copy of main's answer, or an error view when the answer is not an IpcResult. */
function asResult(answer: unknown): IpcResult<unknown> {
  const r = answer as {
    ok?: unknown;
    value?: unknown;
    error?: { code?: unknown; detail?: unknown; problems?: unknown };
  };
  if (r?.ok === true) return { ok: true, value: r.value };
  if (r?.ok === false && typeof r.error?.code === 'string') {
    const detail = typeof r.error.detail === 'string' ? { detail: r.error.detail } : {};
    const error = { code: r.error.code, ...detail, ...problemsOf(r.error.problems) };
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
