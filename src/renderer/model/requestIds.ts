/** Names for calls the window may cancel (cancelRequest): unique within this page's life. */
let counter = 0;
const session = Math.random().toString(36).slice(2, 10);

export const newRequestId = (kind: 'list' | 'search' | 'preview') =>
  `${kind}-${session}-${++counter}`;
