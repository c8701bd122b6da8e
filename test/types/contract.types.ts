/**
 * Compile-time proof that the IPC contract cannot drift: `npm test` type-checks this file
 * (tsc -b), and each `@ts-expect-error` fails the build if the line it marks ever compiles.
 */
import type { z } from 'zod';
import { argumentSchemas } from '../../src/main/ipc/argumentSchemas';
import type { KuraApi, KuraMethod } from '../../src/shared/ipc';

type ArgSchemas = { [M in KuraMethod]: z.ZodType<Parameters<KuraApi[M]>> };
const { download: _dropped, ...withoutDownload } = argumentSchemas;

// @ts-expect-error — a schema table missing a contract method does not compile.
export const missingMethod: ArgSchemas = withoutDownload;

// @ts-expect-error — an API implementation missing a contract method does not compile.
export const missingImplementation: KuraApi = {
  sessionView: () => Promise.resolve({ status: 'signedOut' }),
};

export const complete: ArgSchemas = argumentSchemas;
