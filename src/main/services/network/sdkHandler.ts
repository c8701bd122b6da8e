/**
 * The AWS SDK clients' request handler: the SDK's own NodeHttpHandler, given for each request the
 * agent of its route (network.ts), so every SDK call — Cognito, the identity pool, S3, the update
 * feed — goes through the proxy, the trust store, the clock and the monitor like any other.
 * One per client (a client's destroy() must not close the shared agents).
 */
import type http from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandler, HttpRequest, HttpResponse } from '@smithy/protocol-http';
import type { HttpHandlerOptions } from '@smithy/types';
import { KuraError } from '../kuraError';
import type { Transport } from './network';

type Body = { resume?: () => void; destroy?: () => void } | undefined;

export class RoutedHttpHandler implements HttpHandler<HttpHandlerOptions> {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly inner = new WeakMap<http.Agent, NodeHttpHandler>();

  constructor(private readonly transport: Transport) {}

  private handlerFor(agent: http.Agent): NodeHttpHandler {
    let h = this.inner.get(agent);
    if (!h) {
      h = new NodeHttpHandler({ httpAgent: agent, httpsAgent: agent as never });
      this.inner.set(agent, h);
    }
    return h;
  }

  async handle(
    request: HttpRequest,
    options?: HttpHandlerOptions,
  ): Promise<{ response: HttpResponse }> {
    const port = request.port ? `:${request.port}` : '';
    const url = new URL(`${request.protocol}//${request.hostname}${port}${request.path}`);
    for (let attempt = 0; ; attempt++) {
      const chosen = await this.transport.agentFor(url);
      let out: { response: HttpResponse };
      try {
        out = await this.handlerFor(chosen.agent).handle(request, options);
      } catch (err) {
        throw await this.transport.failed(url, chosen, err);
      }
      const r = out.response;
      const body = r.body as Body;
      const verdict = await this.transport.answered(url, chosen, {
        statusCode: r.statusCode,
        headers: r.headers,
        resume: () => body?.resume?.(),
        destroy: () => body?.destroy?.(),
      });
      if (verdict === 'ok') return out;
      if (attempt > 0) throw new KuraError('PROXY_AUTH_FAILED', chosen.proxy);
    }
  }

  updateHttpClientConfig(): void {
    // The agents are the transport's; nothing here is configured per client.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    // The shared agents outlive any one client (Network.destroy closes them).
  }
}
