/** The KuraError code a call to main failed with (api.ts rejects with the error's view). */
import type { ErrorCode, ErrorView } from '../../shared/errors';

export const errorCodeOf = (err: unknown): ErrorCode | undefined =>
  (err as { view?: ErrorView } | null | undefined)?.view?.code;
