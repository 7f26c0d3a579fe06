/**
 * Crash-safe file replacement: write a temporary file next to the target, flush it to disk, then
 * rename it over the target. A crash at any point leaves either the old or the new content, never a
 * torn file. The temporary name is unique per process and call, so concurrent writers cannot collide.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  syncDirectory(dirname(path));
}

/**
 * Flushes the folder entry of the rename, so a power cut cannot bring the old file back. Windows
 * cannot open a folder for this and journals renames itself: there it is skipped.
 */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems (network mounts) refuse; the rename itself already happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
