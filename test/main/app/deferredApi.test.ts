import { describe, expect, it } from 'vitest';
import type { KuraApi } from '../../../src/shared/ipc';
import { deferredApi } from '../../../src/main/app/deferredApi';

describe('the renderer API before the services exist', () => {
  it('holds calls until the services are ready, then answers them with their arguments', async () => {
    let ready: (api: KuraApi) => void = () => undefined;
    const api = deferredApi(new Promise<KuraApi>((r) => (ready = r)));
    let answered = false;
    const pending = api.listFolder('bucket', 'a/').then((v) => {
      answered = true;
      return v;
    });
    await Promise.resolve();
    expect(answered).toBe(false);
    ready({
      listFolder: (bucket: string, prefix: string) =>
        Promise.resolve({ bucket, prefix, folders: [], files: [] }),
    } as unknown as KuraApi);
    expect(await pending).toEqual({ bucket: 'bucket', prefix: 'a/', folders: [], files: [] });
  });

  it('fails waiting calls with the error that stopped start-up', async () => {
    const api = deferredApi(Promise.reject(new Error('keychain exploded')));
    await expect(api.sessionView()).rejects.toThrow('keychain exploded');
  });
});
