/**
 * File-system primitives of the local image store: atomic writes, reads that never follow a
 * symlink, and the start-up scan of the image folder. Every path is built from a parsed
 * `<id>.<ext>` name inside the folder, never from request input.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseImageFileName, type ImageFileName } from './served-images';

/** Temporary files of an atomic write, named like storage/atomic-file.ts names them. */
const TEMP_FILE = /^\.[0-9a-z]{9}-[0-9a-f]{16}\.[a-z]{3,4}\.\d+\.[0-9a-f]+\.tmp$/;

/** A temp file this old belongs to a write that died with its process (a live write takes milliseconds). */
export const STALE_TEMP_MS = 60_000;

const errorCode = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null ? (err as { code?: unknown }).code?.toString() : undefined;

/**
 * Writes `data` to `path` so readers see either nothing or the whole file: a temporary file in the
 * same folder (created exclusively, so a planted symlink is never written through), flushed to
 * disk, then renamed over the target.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (err) {
    await handle.close().catch(() => {}); // already closed when the rename failed
    await rm(temp, { force: true });
    throw err;
  }
}

/** O_NOFOLLOW does not exist on Windows, where creating symlinks needs privileges anyway. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** The bytes of a regular file, or undefined when it is gone or is not a regular file (symlink, folder). */
export async function readRegularFile(path: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | NO_FOLLOW);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw err;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Removes a file; a file already gone counts as removed. */
export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

export function removeFileSync(path: string): void {
  rmSync(path, { force: true });
}

export interface ScannedImage extends ImageFileName {
  fileName: string;
  bytes: number;
}

export interface ImageDirScan {
  /** Images found, oldest first (ids sort by creation time). */
  images: ScannedImage[];
  /** Names of stale temporary files that were deleted. */
  removedTemps: string[];
}

export interface UnusableImageDir {
  /** For /health and the UI: the error code, not the path (/health is open to anyone). */
  problem: string;
  /** The error itself, path included, for the log. */
  error: unknown;
}

/**
 * Creates the image folder when missing, checks the gateway may read and write it, and scans it.
 * A folder that cannot be used (EACCES under a root-owned /app, ENOTDIR below a regular file, …)
 * comes back as a problem in words instead of an exception: the store reports it on /health and
 * images are returned inline, where throwing would stop the server at start or fail a settings save
 * that is already written.
 */
export function openImageDir(dir: string, now: number): ImageDirScan | UnusableImageDir {
  try {
    mkdirSync(dir, { recursive: true });
    // An existing folder owned by someone else passes mkdir; saves would then fail one by one.
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    return scanImageDir(dir, now);
  } catch (err) {
    return {
      problem: `Local storage cannot use its image folder (${errorCode(err) ?? 'unreadable'}); set IMAGE_STORAGE_DIR to a folder the gateway can create and write`,
      error: err,
    };
  }
}

/**
 * Lists the images already in `dir` (so they survive restarts and count toward the caps) and
 * deletes temp files left by crashed writes. Foreign files, folders and symlinks are left alone and
 * never counted: the store only ever touches regular files it could have written itself.
 */
export function scanImageDir(dir: string, now: number): ImageDirScan {
  const images: ScannedImage[] = [];
  const removedTemps: string[] = [];
  const seen = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue; // lstat semantics: symlinks are not files here
    const path = join(dir, entry.name);
    const parsed = parseImageFileName(entry.name);
    const isTemp = !parsed && TEMP_FILE.test(entry.name);
    if (!parsed && !isTemp) continue;
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (!stats?.isFile()) continue; // gone or replaced since the listing
    if (parsed) {
      if (seen.has(parsed.id)) continue; // the same id twice (x.png, x.jpg) was not written by us
      seen.add(parsed.id);
      images.push({ ...parsed, fileName: entry.name, bytes: stats.size });
    } else if (now - stats.mtimeMs > STALE_TEMP_MS) {
      removeFileSync(path);
      removedTemps.push(entry.name);
    }
  }
  images.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { images, removedTemps };
}
