// Preload entry for the app's window (sandboxed: only `electron`'s renderer modules are available).
import { exposeBridge } from './bridge';

exposeBridge();
