/**
 * The lines a TimeChart draws and the colours of the breakdown charts. Colours are names of CSS
 * variables (styles/app.css defines each for light and dark), read when the chart is drawn.
 */

export interface ChartSeries {
  label: string;
  /** One per bucket. */
  values: number[];
  /** Name of a CSS variable holding the colour, e.g. --chart-1. */
  color: string;
  /** Shown in the legend while the cursor is off the chart (the range's total). */
  total?: number;
}

/** Distinct item colours: one per line a breakdown chart can have (USAGE_TOP_ITEMS + 1). */
export const PALETTE: readonly string[] = [
  '--chart-1',
  '--chart-2',
  '--chart-3',
  '--chart-4',
  '--chart-5',
  '--chart-6',
];
/** "Other" is neutral: it is the rest, not an item to compare with. */
export const OTHER_COLOR = '--chart-other';

/**
 * A colour for each of `ids`, kept with its item: its rank in `order` (every item, e.g. the table's
 * order) picks the colour when it is free, so switching between requests and tokens does not repaint
 * a model that is in both charts. Items ranked past the palette take the first colour still free.
 */
export function assignColors(ids: readonly string[], order: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  const taken = new Set<string>();
  const late: string[] = [];
  for (const id of ids) {
    const preferred = PALETTE[order.indexOf(id)];
    if (preferred !== undefined && !taken.has(preferred)) {
      colors.set(id, preferred);
      taken.add(preferred);
    } else {
      late.push(id);
    }
  }
  const free = PALETTE.filter((color) => !taken.has(color));
  // More ids than colours (never with the server's top items) cycle rather than go colourless.
  late.forEach((id, i) => colors.set(id, free[i] ?? PALETTE[i % PALETTE.length] ?? OTHER_COLOR));
  return colors;
}
