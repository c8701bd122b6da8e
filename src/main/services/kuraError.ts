/** The one error type services throw; its code maps to a message in both languages. */
import {
  errorMessage,
  passwordProblems,
  type ErrorCode,
  type ErrorView,
  type Problem,
} from '../../shared/errors';

export class KuraError extends Error {
  readonly problems?: Problem[];

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    options?: { cause?: unknown; problems?: Problem[] },
  ) {
    super(errorMessage({ code, detail, problems: options?.problems }, 'en'), options);
    this.name = 'KuraError';
    if (options?.problems) this.problems = options.problems;
  }

  toView(): ErrorView {
    return {
      code: this.code,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(this.problems ? { problems: this.problems } : {}),
    };
  }
}

function errorParts(err: unknown): { name: string; message: string } {
  const e = err as { name?: string; code?: string; message?: string; __type?: string } | undefined;
  return {
    name: String(e?.code ?? e?.name ?? e?.__type ?? ''),
    message: String(e?.message ?? err),
  };
}

const NETWORK_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
];

function isNetworkError(err: unknown): boolean {
  const { name, message } = errorParts(err);
  if (NETWORK_CODES.includes(name) || name === 'TimeoutError' || name === 'RequestTimeout')
    return true;
  if (message === 'Network error' || message === 'fetch failed') return true;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return cause !== undefined && cause !== err && isNetworkError(cause);
}

/** Maps what Cognito (library or SDK) answered to a KuraError. */
export function fromCognitoError(
  err: unknown,
  context: 'signIn' | 'refresh' | 'challenge' | 'other' = 'other',
): KuraError {
  if (err instanceof KuraError) return err;
  if (isNetworkError(err)) return new KuraError('NETWORK', undefined, { cause: err });
  const { name, message } = errorParts(err);
  const make = (code: ErrorCode, detail?: string) => new KuraError(code, detail, { cause: err });
  switch (name) {
    case 'NotAuthorizedException':
      if (context === 'refresh') return make('SESSION_EXPIRED');
      if (/disabled/i.test(message)) return make('USER_DISABLED');
      if (/attempts exceeded/i.test(message)) return make('ACCOUNT_LOCKED');
      if (/temporary password has expired/i.test(message)) return make('TEMP_PASSWORD_EXPIRED');
      if (/session is expired|invalid session/i.test(message)) return make('CHALLENGE_EXPIRED');
      if (/token/i.test(message)) return make('SESSION_EXPIRED');
      return make('WRONG_CREDENTIALS');
    case 'UserNotFoundException':
      return make(context === 'refresh' ? 'SESSION_EXPIRED' : 'WRONG_CREDENTIALS');
    case 'PasswordResetRequiredException':
      return make('PASSWORD_RESET_REQUIRED');
    case 'InvalidPasswordException':
      return new KuraError('WEAK_PASSWORD', message, {
        cause: err,
        problems: passwordProblems(message),
      });
    case 'InvalidParameterException':
      // A password Cognito's own pattern refuses (leading or trailing spaces) comes as this.
      if (/password/i.test(message))
        return new KuraError('WEAK_PASSWORD', message, {
          cause: err,
          problems: passwordProblems(message),
        });
      return make('UNKNOWN', `${name}: ${message}`);
    case 'CodeMismatchException':
      return make('CODE_MISMATCH');
    case 'ExpiredCodeException':
      return make('CODE_EXPIRED');
    case 'InternalErrorException':
      return make('UNAVAILABLE', name);
    case 'LimitExceededException':
      if (/attempt limit/i.test(message)) return make('TOO_MANY_ATTEMPTS');
      return make('THROTTLED');
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return make('THROTTLED');
    case 'ResourceNotFoundException':
      // The pool or client named by the profile does not exist.
      return new KuraError('PROFILE_INVALID', message, {
        cause: err,
        problems: [
          {
            field: /client/i.test(message) ? 'userPoolClientId' : 'userPoolId',
            problem: 'notFound',
          },
        ],
      });
    default:
      return make('UNKNOWN', name ? `${name}: ${message}` : message);
  }
}

/** The HTTP status of an AWS SDK (or directGet) error, when it has one. */
export function httpStatusOf(err: unknown): number | undefined {
  const e = (err instanceof KuraError ? err.cause : err) as
    { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } } | undefined;
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
}

/** Maps an S3 error to a KuraError. */
export function fromS3Error(err: unknown): KuraError {
  if (err instanceof KuraError) return err;
  if ((err as { name?: string }).name === 'AbortError')
    return new KuraError('CANCELLED', undefined, { cause: err });
  if (isNetworkError(err)) return new KuraError('NETWORK', undefined, { cause: err });
  const { name, message } = errorParts(err);
  const make = (code: ErrorCode, detail?: string) => new KuraError(code, detail, { cause: err });
  switch (name) {
    case 'AccessDenied':
    case 'Forbidden':
      return make('ACCESS_DENIED');
    case 'NoSuchKey':
    case 'NotFound':
      return make('NOT_FOUND');
    case 'NoSuchBucket':
      return make('NO_SUCH_BUCKET');
    case 'ExpiredToken':
    case 'InvalidToken':
      return make('SESSION_EXPIRED');
    case 'SlowDown':
    case 'ThrottlingException':
      return make('THROTTLED');
    case 'ServiceUnavailable':
    case 'InternalError':
      return make('UNAVAILABLE', name);
  }
  // Answers without a body (HEAD) carry only their status: the SDK names them "Unknown".
  const status = httpStatusOf(err);
  if (status === 403) return make('ACCESS_DENIED');
  if (status === 404) return make('NOT_FOUND');
  if (status === 429) return make('THROTTLED');
  if (status !== undefined && status >= 500) return make('UNAVAILABLE', `HTTP ${status}`);
  return make('UNKNOWN', name ? `${name}: ${message}` : message);
}
