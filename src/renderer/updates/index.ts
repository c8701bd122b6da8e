/** The update UI, for the window to place: the notice near the top, the setting where settings live. */
export { UpdateNotice } from './UpdateNotice';
export { UpdateSettings } from './UpdateSettings';
