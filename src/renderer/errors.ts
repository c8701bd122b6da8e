import { errorMessage, type ErrorView } from '../shared/errors';
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

/** The message for anything a bridge call threw, in the UI's language. */
export function describeError(err: unknown, lang: string): string {
  const view = (err as { view?: ErrorView }).view ?? {
    code: 'UNKNOWN' as const,
    detail: String((err as Error)?.message ?? err),
  };
  return errorMessage(view, lang === 'ja' ? 'ja' : 'en');
}
