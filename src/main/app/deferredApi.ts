/**
 * The renderer API before the services exist: the shell registers IPC and opens the window
 * first (so a keychain prompt at start-up comes with the app on screen), and calls made
 * meanwhile wait for the real API — or fail with the error that stopped start-up.
 */
import { KURA_API_METHODS, type KuraApi } from '../../shared/ipc';

export function deferredApi(ready: Promise<KuraApi>): KuraApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of KURA_API_METHODS) {
    api[method] = async (...args) => {
      const real = await ready;
      const call = Reflect.get(real, method) as (...a: unknown[]) => Promise<unknown>;
      return Reflect.apply(call, real, args);
    };
  }
  return api as unknown as KuraApi;
}
