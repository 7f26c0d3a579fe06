/**
 * A uPlot line chart over time. Colours come from the CSS variables, so the chart follows the
 * light/dark theme; axis labels and the legend are formatted with Intl in the window's language.
 * The legend shows the value under the cursor, and each line's total while the cursor is elsewhere.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useI18n } from '../app/context';
import { localeOf, type Translate } from '../i18n/index';
import type { ChartSeries } from '../lib/chart-series';

export type { ChartSeries } from '../lib/chart-series';

interface Props {
  title: string;
  /** Bucket start times, unix ms. */
  times: number[];
  series: ChartSeries[];
  /** Hourly buckets show times, daily ones dates. */
  hourly: boolean;
  testId: string;
  /** Shown instead of the chart when there is no line to draw. */
  emptyText?: string;
}

const HEIGHT = 220;
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

interface Format {
  /** Axis ticks: times for hourly buckets, dates for daily ones. */
  tick: Intl.DateTimeFormat;
  /** The legend's time under the cursor. */
  full: Intl.DateTimeFormat;
  number: (n: number) => string;
  t: Translate;
}

/**
 * uPlot's options with the theme's colours as they are now: called again after a light/dark switch,
 * so lines, grid and point fills all follow it.
 */
function chartOptions(width: number, times: number[], series: ChartSeries[], f: Format): uPlot.Options {
  const gridColor = cssVar('--border');
  const axis = {
    stroke: cssVar('--muted'),
    grid: { stroke: gridColor, width: 1 },
    ticks: { stroke: gridColor, width: 1 },
  };
  const hasTotals = series.some((s) => s.total !== undefined);
  const surface = cssVar('--surface');
  return {
    width,
    height: HEIGHT,
    series: [
      {
        label: f.t('chart.time'),
        // uPlot passes a null index while the cursor is off the plot: the legend shows totals.
        value: (_u, v, _s, idx) =>
          idx === null ? (hasTotals ? f.t('chart.total') : '') : v === null ? '' : f.full.format(v * 1000),
      },
      ...series.map((s) => ({
        label: s.label,
        stroke: cssVar(s.color),
        width: 2,
        points: { show: times.length < 60, fill: surface },
        value: (_u: uPlot, v: number | null, _s: number, idx: number | null) => {
          const shown = idx === null ? s.total : v;
          return shown === null || shown === undefined ? '' : f.number(shown);
        },
      })),
    ],
    axes: [
      { ...axis, values: (_u, splits) => splits.map((v) => f.tick.format(v * 1000)) },
      { ...axis, values: (_u, splits) => splits.map((v) => f.number(v)), size: 60 },
    ],
    scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    cursor: { drag: { x: false, y: false } },
  };
}

export function TimeChart({ title, times, series, hourly, testId, emptyText }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const { lang, fmt, t } = useI18n();

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const locale = localeOf(lang);
    const format: Format = {
      tick: new Intl.DateTimeFormat(
        locale,
        hourly ? { hour: '2-digit', minute: '2-digit', hour12: false } : { month: 'short', day: 'numeric' },
      ),
      full: new Intl.DateTimeFormat(locale, {
        month: 'short',
        day: 'numeric',
        ...(hourly ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
      }),
      number: fmt.number,
      t,
    };
    const data: uPlot.AlignedData = [times.map((ms) => ms / 1000), ...series.map((s) => s.values)];

    let chart: uPlot | null = null;
    const draw = () => {
      chart?.destroy();
      chart = new uPlot(chartOptions(Math.max(200, el.clientWidth), times, series, format), data, el);
    };
    draw();

    // Redraw on resize and when the OS switches between light and dark.
    let width = el.clientWidth;
    const resize = new ResizeObserver(() => {
      if (el.clientWidth !== width) {
        width = el.clientWidth;
        chart?.setSize({ width: Math.max(200, width), height: HEIGHT });
      }
    });
    resize.observe(el);
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', draw);
    return () => {
      resize.disconnect();
      scheme.removeEventListener('change', draw);
      chart?.destroy();
    };
  }, [times, series, hourly, lang, fmt, t]);

  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {series.length === 0 && emptyText !== undefined ? (
        <p class="muted chart-empty">{emptyText}</p>
      ) : (
        <div ref={host} class="chart-host" />
      )}
    </figure>
  );
}
