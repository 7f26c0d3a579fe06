/**
 * The window's size and position, remembered across launches. What is read back is validated like
 * any stored value, and a position no display shows any more (a monitor was unplugged) is dropped so
 * the window never opens off screen.
 */
import { z } from 'zod';

export const windowStateSchema = z.object({
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1120, height: 760, maximized: false };

/** Enough of the title bar (100 × 40 px) must be on a display for the user to grab it. */
const reachable = (x: number, y: number, area: Rect): boolean =>
  x + 100 > area.x && x < area.x + area.width && y + 40 > area.y && y < area.y + area.height;

export function restoreWindowState(raw: unknown, workAreas: readonly Rect[]): WindowState {
  const parsed = windowStateSchema.safeParse(raw);
  if (!parsed.success) return DEFAULT_WINDOW_STATE;
  const { x, y, ...size } = parsed.data;
  if (x === undefined || y === undefined || !workAreas.some((area) => reachable(x, y, area))) return size;
  return { ...size, x, y };
}
