/**
 * OpenAI's `size` → Gemini's aspect ratio (wire-format §4.10). Gemini draws by ratio, not by pixels,
 * so the OpenAI sizes map to the ratio they stand for, any other `WIDTHxHEIGHT` to the nearest ratio
 * Gemini has; a raw ratio (`"16:9"`) is accepted as an extension. Pure.
 */

/** The ratios Gemini image models accept in `imageConfig.aspectRatio` (wire-format §1.4.6). */
export const GEMINI_ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];

/** The only ratios Imagen's `:predict` takes (wire-format §1.9). */
export const IMAGEN_ASPECT_RATIOS = ['1:1', '3:4', '4:3', '9:16', '16:9'];

const OPENAI_SIZES: Readonly<Record<string, string>> = {
  '256x256': '1:1',
  '512x512': '1:1',
  '1024x1024': '1:1',
  '1536x1024': '3:2',
  '1024x1536': '2:3',
  '1792x1024': '16:9',
  '1024x1792': '9:16',
};

export type SizeResult = { ok: true; aspectRatio: string | undefined } | { ok: false; message: string };

/** `auto` and absent mean "let the model choose": no ratio is sent. */
export function aspectRatioOfSize(size: string | undefined): SizeResult {
  const text = size?.trim().toLowerCase() ?? '';
  if (text === '' || text === 'auto') return { ok: true, aspectRatio: undefined };
  const mapped = OPENAI_SIZES[text];
  if (mapped !== undefined) return { ok: true, aspectRatio: mapped };
  if (GEMINI_ASPECT_RATIOS.includes(text)) return { ok: true, aspectRatio: text };
  // Any other WIDTHxHEIGHT (gpt-image-2 takes free sizes; apps send 1280x720, 1080x1920): its shape.
  const pixels = /^(\d{1,5})x(\d{1,5})$/.exec(text);
  const [width, height] = [Number(pixels?.[1]), Number(pixels?.[2])];
  if (pixels && width > 0 && height > 0) {
    return { ok: true, aspectRatio: nearestRatio(width / height, GEMINI_ASPECT_RATIOS) };
  }
  return {
    ok: false,
    message:
      `Unsupported size "${size ?? ''}": use WIDTHxHEIGHT (e.g. ${Object.keys(OPENAI_SIZES).join(', ')}), ` +
      `auto, or an aspect ratio (${GEMINI_ASPECT_RATIOS.join(', ')}).`,
  };
}

const ratioValue = (ratio: string): number => {
  const [w = '1', h = '1'] = ratio.split(':');
  return Number(w) / Number(h);
};

/**
 * The candidate ratio closest to `value` (width / height), compared on a log scale so that 2:1 and
 * 1:2 are equally far from 1:1.
 */
function nearestRatio(value: number, candidates: readonly string[]): string {
  const target = Math.log(value);
  let best = candidates[0] ?? '1:1';
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = Math.abs(Math.log(ratioValue(candidate)) - target);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The Imagen ratio closest to `ratio` (`3:2` → `4:3`, `2:3` → `3:4`, `21:9` → `16:9`). */
export const nearestImagenRatio = (ratio: string): string =>
  nearestRatio(ratioValue(ratio), IMAGEN_ASPECT_RATIOS);

/**
 * A ratio asked for outside `size` — chat's `image_config.aspect_ratio` for an Imagen model
 * (chat/imagen-chat.ts) — as the nearest Imagen ratio: any `W:H`, or anything `size` takes;
 * undefined for absent, empty or `auto`, `ok: false` for what is neither.
 */
export function imagenRatioOf(value: string | undefined): SizeResult {
  const ratio = /^(\d{1,5}(?:\.\d{1,3})?):(\d{1,5}(?:\.\d{1,3})?)$/.exec(value?.trim() ?? '');
  if (ratio && Number(ratio[1]) > 0 && Number(ratio[2]) > 0) {
    return { ok: true, aspectRatio: nearestImagenRatio(`${ratio[1]}:${ratio[2]}`) };
  }
  const size = aspectRatioOfSize(value);
  if (!size.ok || size.aspectRatio === undefined) return size;
  return { ok: true, aspectRatio: nearestImagenRatio(size.aspectRatio) };
}
