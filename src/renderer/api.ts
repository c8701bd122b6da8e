/**
 * The renderer's only way to main: every call and every event subscription goes through this
 * object (a lint rule refuses `window.kura` elsewhere), so there is one place that decides how
 * answers and errors cross the bridge.
 */
import type { KuraBridge } from '../shared/ipc';

export const api: KuraBridge = window.kura;
