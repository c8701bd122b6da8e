/**
 * `window.kura` for the browser transport (e2e harness, demo without Electron): the same bridge
 * object as the Electron preload builds, carried over loopback HTTP (POST /ipc/<method>) and
 * server-sent events (/events) instead of Electron IPC. Loaded before the app's own script.
 */
import { buildBridge } from '../../preload/buildBridge';

const bridge = buildBridge(
  async (channel, ...args) => {
    const method = channel.slice(channel.indexOf(':') + 1);
    // Electron's IPC keeps `undefined`; JSON would turn an omitted optional argument into null.
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    const res = await fetch(`/ipc/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(args),
    });
    return res.json();
  },
  (listener) => {
    const source = new EventSource('/events');
    source.onmessage = (e: MessageEvent<string>) => listener(JSON.parse(e.data));
    return () => source.close();
  },
);
Object.defineProperty(window, 'kura', { value: bridge, enumerable: true });
