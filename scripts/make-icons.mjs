// Draws Gemgate's icons pixel by pixel and writes them as PNGs under build/ (no image tools needed):
//   build/icon.png (1024, the source electron-builder turns into icon.icns / icon.ico when packaging),
//   build/icons/<n>x<n>.png (the Linux icon set), build/tray/ (tray icons per server status: colour
//   badges for Windows/Linux, black-with-alpha templates for the macOS menu bar).
// `node scripts/make-icons.mjs` — deterministic, so re-running it changes nothing in git.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const OUT = 'build';
const SUPERSAMPLE = 4;

// ---------- PNG encoding (RGBA, 8 bit, no interlace) ----------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};
const encodePng = (size, rgba) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++)
    rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

// ---------- shapes, in unit coordinates (0..1, y down) ----------

const inRoundedSquare = (x, y, inset, radius) => {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && dx * dx + dy * dy <= radius * radius;
};

/** A "G": a ring open at the upper right, with a bar from the right edge to the centre. */
const inG = (x, y, { cx = 0.5, cy = 0.5, outer = 0.3, thickness = 0.11 } = {}) => {
  const dx = x - cx;
  const dy = y - cy;
  const r = Math.hypot(dx, dy);
  const angle = (Math.atan2(dy, dx) * 180) / Math.PI; // 0 = right, negative = up
  const ring = r <= outer && r >= outer - thickness && !(angle > -48 && angle < 0);
  const bar = dx >= 0 && dx <= outer && dy >= 0 && dy <= thickness * 0.95;
  return ring || bar;
};

const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

const BLUE = hex('#4f8df7');
const VIOLET = hex('#8e5cf6');
const WHITE = [255, 255, 255];
const STATUS_COLOURS = { running: hex('#22c55e'), stopped: hex('#9ca3af'), error: hex('#ef4444') };

/**
 * Renders `paint(x, y) → [r, g, b, a] | null` (a in 0..1) with SUPERSAMPLE² samples per pixel, so
 * edges are smooth at every size; colours are averaged premultiplied, which keeps edges clean.
 */
const render = (size, paint) => {
  const out = Buffer.alloc(size * size * 4);
  const n = SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!c) continue;
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return out;
};

/** The app icon: a blue→violet rounded square with a white G (macOS-style padding). */
const appIcon = (x, y) => {
  if (inG(x, y)) return [...WHITE, 1];
  if (inRoundedSquare(x, y, 0.06, 0.2)) return [...mix(BLUE, VIOLET, (x + y) / 2), 1];
  return null;
};

/** Tray badge for Windows/Linux: the app icon edge to edge, with a status dot at the bottom right. */
const trayBadge = (status) => (x, y) => {
  const dot = STATUS_COLOURS[status];
  if (inCircle(x, y, 0.78, 0.78, 0.2)) return [...dot, 1];
  if (inCircle(x, y, 0.78, 0.78, 0.27)) return [...WHITE, 1];
  if (inG(x, y, { outer: 0.36, thickness: 0.14 })) return [...WHITE, 1];
  if (inRoundedSquare(x, y, 0, 0.22)) return [...mix(BLUE, VIOLET, (x + y) / 2), 1];
  return null;
};

/**
 * macOS menu-bar template: black with alpha only (the system tints it for light and dark bars).
 * Status shows through shape, not colour: running = solid G, stopped = faded G, error = G + dot.
 */
const trayTemplate = (status) => (x, y) => {
  const g = inG(x, y, { outer: 0.4, thickness: 0.15 });
  if (status === 'error') {
    if (inCircle(x, y, 0.8, 0.8, 0.17)) return [0, 0, 0, 1];
    if (inCircle(x, y, 0.8, 0.8, 0.26)) return null; // a gap keeps the dot readable
  }
  if (g) return [0, 0, 0, status === 'stopped' ? 0.45 : 1];
  return null;
};

const write = (path, size, paint) => {
  writeFileSync(path, encodePng(size, render(size, paint)));
};

mkdirSync(join(OUT, 'icons'), { recursive: true });
mkdirSync(join(OUT, 'tray'), { recursive: true });

for (const size of [16, 32, 64, 128, 256, 512, 1024])
  write(join(OUT, 'icons', `${size}x${size}.png`), size, appIcon);
// The 1024 source of the macOS/Windows icons: electron-builder derives icon.icns and icon.ico from it.
copyFileSync(join(OUT, 'icons', '1024x1024.png'), join(OUT, 'icon.png'));

for (const status of ['running', 'stopped', 'error']) {
  write(join(OUT, 'tray', `tray-${status}.png`), 16, trayBadge(status));
  write(join(OUT, 'tray', `tray-${status}@2x.png`), 32, trayBadge(status));
  // Linux indicators scale one bitmap to the panel height, so they get a larger single image.
  write(join(OUT, 'tray', `tray-${status}-linux.png`), 48, trayBadge(status));
  const base = status === 'running' ? 'iconTemplate' : `icon-${status}Template`;
  write(join(OUT, 'tray', `${base}.png`), 16, trayTemplate(status));
  write(join(OUT, 'tray', `${base}@2x.png`), 32, trayTemplate(status));
}
// The window icon on Linux and Windows (the taskbar shows it); shipped next to the tray icons.
write(join(OUT, 'tray', 'window-icon.png'), 256, appIcon);

console.log(`Icons written to ${OUT}/`);
