/**
 * The network UI, for the window to place: the notice near the top (offline, a clock far off),
 * the status item in the status bar, the proxy's question anywhere (a modal dialog), and the
 * setting where settings live.
 */
export { NetworkNotice } from './NetworkNotice';
export { NetworkStatus } from './NetworkStatus';
export { ProxyAuthDialog } from './ProxyAuthDialog';
export { NetworkSettings } from './NetworkSettings';
