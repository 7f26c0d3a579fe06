/** Globals of the window that TypeScript's DOM lib does not know. */
import type { GemgateBridge } from './lib/api-ipc';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the browser (web admin). */
    gemgate?: GemgateBridge;
  }
}
