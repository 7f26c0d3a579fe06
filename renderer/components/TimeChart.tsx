/**
 * A uPlot line chart over time. Colours come from the CSS variables, so the chart follows the
 * light/dark theme; axis labels and the legend are formatted with Intl in the window's language.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useI18n } from '../app/context';
import { localeOf } from '../i18n/index';

export interface ChartSeries {
  label: string;
  values: number[];
  /** Name of a CSS variable holding the colour, e.g. --chart-1. */
  color: string;
}

interface Props {
  title: string;
  /** Bucket start times, unix ms. */
  times: number[];
  series: ChartSeries[];
  /** Hourly buckets show times, daily ones dates. */
  hourly: boolean;
  testId: string;
}

const HEIGHT = 220;
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export function TimeChart({ title, times, series, hourly, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const { lang, fmt, t } = useI18n();

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const locale = localeOf(lang);
    const tick = new Intl.DateTimeFormat(
      locale,
      hourly ? { hour: '2-digit', minute: '2-digit', hour12: false } : { month: 'short', day: 'numeric' },
    );
    const full = new Intl.DateTimeFormat(locale, {
      month: 'short',
      day: 'numeric',
      ...(hourly ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
    });
    const axisColor = cssVar('--muted');
    const gridColor = cssVar('--border');
    const axis = {
      stroke: axisColor,
      grid: { stroke: gridColor, width: 1 },
      ticks: { stroke: gridColor, width: 1 },
    };

    let chart: uPlot | null = null;
    const draw = () => {
      chart?.destroy();
      chart = new uPlot(
        {
          width: Math.max(200, el.clientWidth),
          height: HEIGHT,
          series: [
            { label: t('chart.time'), value: (_u, v) => (v === null ? '' : full.format(v * 1000)) },
            ...series.map((s) => ({
              label: s.label,
              stroke: cssVar(s.color),
              width: 2,
              points: { show: times.length < 60 },
              value: (_u: uPlot, v: number | null) => (v === null ? '' : fmt.number(v)),
            })),
          ],
          axes: [
            { ...axis, values: (_u, splits) => splits.map((s) => tick.format(s * 1000)) },
            { ...axis, values: (_u, splits) => splits.map((s) => fmt.number(s)), size: 60 },
          ],
          scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
          cursor: { drag: { x: false, y: false } },
        },
        [times.map((ms) => ms / 1000), ...series.map((s) => s.values)],
        el,
      );
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
      <div ref={host} class="chart-host" />
    </figure>
  );
}
