/**
 * Where the built web admin (dist/renderer) is. The bundle `dist/headless.mjs` finds it beside
 * itself, so `gemgate` / `npx gemgate` serve /admin from any working directory; `tsx main/headless.ts`
 * finds it the same way (main/../dist/renderer). Other layouts (a test bundle elsewhere) fall back to
 * dist/renderer under the working directory, the server's default.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function webAdminDir(moduleUrl: string, cwd = process.cwd()): string {
  const besideCode = resolve(dirname(fileURLToPath(moduleUrl)), '..', 'dist', 'renderer');
  const underCwd = resolve(cwd, 'dist', 'renderer');
  return existsSync(join(besideCode, 'index.html')) ? besideCode : underCwd;
}
