/**
 * The network options every command takes: the proxy's question on the terminal, and
 * --wait-network (an outage waited out, within a deadline, instead of failing at once).
 */
import type { NetworkGate } from '../main/services/download/retry';
import { isNetworkFailure, type Network } from '../main/services/network/network';
import type { ProxyAuthQuestion } from '../main/services/network/proxyAuth';
import { printable } from './printable';
import { ask } from './prompt';
import { interactive, say } from './terminal';

/** The proxy's question on the terminal (the password not shown); nobody to ask when piped. */
export async function askProxyCredentials(q: ProxyAuthQuestion) {
  if (!interactive) return null;
  process.stderr.write(
    (q.retry
      ? say.proxy.refused(q.proxy)
      : q.realm
        ? say.proxy.asksRealm(q.proxy, printable(q.realm))
        : say.proxy.asks(q.proxy)) + '\n',
  );
  const username = await ask(say.prompt.proxyUser);
  if (!username) return null;
  return { username, password: await ask(say.prompt.proxyPassword, true) };
}

/**
 * --wait-network: an outage is waited out (the monitor probes with backoff) until SECONDS after
 * it began, then NETWORK_WAIT_TIMEOUT. Without the option, a network failure fails at once.
 */
export function networkGate(
  network: Network,
  seconds: number | undefined,
): NetworkGate | undefined {
  if (seconds === undefined) return undefined;
  let deadline: { at: number; waitedSeconds: number } | undefined;
  return {
    isOffline: (err) => network.monitor.isOffline(err),
    whenOnline: (signal) => {
      if (!deadline) {
        deadline = { at: Date.now() + seconds * 1000, waitedSeconds: seconds };
        process.stderr.write(say.proxy.waiting(seconds) + '\n');
      }
      return network.monitor.whenOnline(signal, deadline);
    },
  };
}

/** Runs a command again after an outage (a failure the probe confirms), within the gate's time. */
export async function withNetworkWait<T>(
  gate: NetworkGate | undefined,
  op: () => Promise<T>,
): Promise<T> {
  for (let flukes = 0; ;) {
    try {
      return await op();
    } catch (err) {
      if (!gate || !isNetworkFailure(err)) throw err;
      if (await gate.isOffline(err)) await gate.whenOnline();
      else if (++flukes > 3) throw err;
    }
  }
}
