/**
 * OpenAI's `size` → Gemini's aspect ratio (wire-format §4.10). Gemini draws by ratio, not by pixels,
 * so the OpenAI sizes map to the ratio they stand for; a raw ratio (`"16:9"`) is accepted as an
 * extension. Pure.
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
  return {
    ok: false,
    message:
      `Unsupported size "${size ?? ''}": use one of ${Object.keys(OPENAI_SIZES).join(', ')}, auto, ` +
      `or an aspect ratio (${GEMINI_ASPECT_RATIOS.join(', ')}).`,
  };
}

const ratioValue = (ratio: string): number => {
  const [w = '1', h = '1'] = ratio.split(':');
  return Number(w) / Number(h);
};

/**
 * The Imagen ratio closest to `ratio`, compared on a log scale so that 2:1 and 1:2 are equally far
 * from 1:1 (`3:2` → `4:3`, `2:3` → `3:4`, `21:9` → `16:9`).
 */
export function nearestImagenRatio(ratio: string): string {
  const target = Math.log(ratioValue(ratio));
  let best = IMAGEN_ASPECT_RATIOS[0] ?? '1:1';
  let bestDistance = Infinity;
  for (const candidate of IMAGEN_ASPECT_RATIOS) {
    const distance = Math.abs(Math.log(ratioValue(candidate)) - target);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
