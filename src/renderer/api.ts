/**
 * The renderer's only way to main: every call and every event subscription goes through this
 * object (a lint rule refuses `window.kura` elsewhere), so there is one place that decides how
 * answers and errors cross the bridge: `window.kura` answers with plain results, and `fromWire`
 * (errors.ts) turns a failed one into a rejection whose error carries its view.
 */
import type { KuraBridge } from '../shared/ipc';
import { fromWire } from './errors';

export const api: KuraBridge = fromWire(window.kura);
