/**
 * amazon-cognito-identity-js's transport, replaced: the library sends its calls (InitiateAuth,
 * RespondToAuthChallenge …) with the global fetch, which knows no proxy and no trust store of
 * ours. This object has the library's Client shape (request, promisifyRequest,
 * requestWithRetry) and sends through the network's transport; its answers and errors have the
 * shapes the library reads (`code`/`name` from `__type`, "Network error" for a failed request).
 */
import { KuraError } from '../kuraError';
import type { Transport } from './network';

type Callback = (err: unknown, data?: unknown) => void;

export class CognitoJsClient {
  constructor(
    private readonly transport: Transport,
    private readonly endpoint: string,
  ) {}

  request(operation: string, params: unknown, callback: Callback): void {
    this.send(operation, params).then(
      (data) => callback(null, data),
      (err: unknown) => callback(err),
    );
  }

  promisifyRequest(operation: string, params: unknown): Promise<unknown> {
    return this.send(operation, params);
  }

  requestWithRetry(operation: string, params: unknown, callback: Callback): void {
    this.request(operation, params, callback);
  }

  private async send(operation: string, params: unknown): Promise<unknown> {
    const res = await this.transport.fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
        'x-amz-user-agent': 'kura',
        'cache-control': 'no-store',
      },
      body: JSON.stringify(params),
    });
    let data: Record<string, unknown> = {};
    try {
      data = res.json() as Record<string, unknown>;
    } catch {
      // An answer without JSON (a proxy's page): its type comes from the header or the status.
    }
    if (res.ok) return data;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const type = (
      text(data.__type) ??
      text(data.code) ??
      res.header('x-amzn-errortype') ??
      `Http${res.status}`
    )
      .split('#')
      .pop()!
      .split(':')[0]!;
    const message = text(data.message) ?? text(data.Message) ?? '';
    if (!type) throw new KuraError('UNKNOWN', `HTTP ${res.status}`);
    return Promise.reject(
      Object.assign(new Error(message), { name: type, code: type, statusCode: res.status }),
    );
  }
}
