/**
 * `window.kura` for the browser transport (e2e harness, demo without Electron): the same bridge
 * object as the Electron preload builds, carried over loopback HTTP (POST /ipc/<method>) and
 * server-sent events (/events) instead of Electron IPC. Loaded before the app's own script.
 *
 * Every request carries the page's key (src/main/browserTransport/server.ts): it arrives once in
 * the URL fragment, is kept in this tab's sessionStorage (isolated by port, unlike cookies) so a
 * reload still has it, and is taken out of the address bar at once.
 */
import { buildBridge } from '../../preload/buildBridge';

const KEY_HEADER = 'x-kura-key';
const STORED = 'kura-key';

function pageKey(): string {
  const m = /(?:^#|&)kura-key=([\w-]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(STORED, m[1]!);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(STORED) ?? '';
}

const key = pageKey();

/**
 * One event stream per page, shared by every subscription: Chromium keeps at most six HTTP/1.1
 * connections per host, and a stream each (the window alone subscribes to four events) left no
 * connection for the calls themselves — they queued until the page closed.
 */
const listeners = new Set<(message: unknown) => void>();
let events: EventSource | null = null;
function openEvents() {
  if (events) return;
  // EventSource cannot send a header: the stream (events only, it calls nothing) takes the
  // key as a parameter of this same-origin URL instead.
  events = new EventSource(`/events?key=${encodeURIComponent(key)}`);
  events.onmessage = (e: MessageEvent<string>) => {
    const message: unknown = JSON.parse(e.data);
    for (const l of [...listeners]) l(message);
  };
}
function closeEvents() {
  events?.close();
  events = null;
}

const bridge = buildBridge(
  async (channel, ...args) => {
    const method = channel.slice(channel.indexOf(':') + 1);
    // Electron's IPC keeps `undefined`; JSON would turn an omitted optional argument into null.
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    const res = await fetch(`/ipc/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [KEY_HEADER]: key },
      credentials: 'same-origin',
      body: JSON.stringify(args),
    });
    // A refusal by the transport itself (no session, a used-up key) is plain text.
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    return res.json();
  },
  (listener) => {
    listeners.add(listener);
    openEvents();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) closeEvents();
    };
  },
);
Object.defineProperty(window, 'kura', { value: bridge, enumerable: true });
