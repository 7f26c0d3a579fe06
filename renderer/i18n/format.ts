/** Numbers, sizes, dates and durations in the current language, all through Intl. */
import { localeOf, type Lang } from './index';

export interface Formatter {
  number: (n: number) => string;
  bytes: (n: number) => string;
  dateTime: (ms: number) => string;
  /** Compact, for dense lists: "11/26/26, 8:36 AM". */
  shortDateTime: (ms: number) => string;
  time: (ms: number) => string;
  /** "5 minutes ago", "in 2 days". */
  relative: (ms: number, now: number) => string;
  /** The two largest units: "3d 4h", "12m 5s". */
  duration: (seconds: number) => string;
  /** A short countdown: "0:42", "1:02:03". */
  countdown: (seconds: number) => string;
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
const DURATION_UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;
const RELATIVE_UNITS = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

const pad2 = (n: number) => String(n).padStart(2, '0');

export function createFormatter(lang: Lang): Formatter {
  const locale = localeOf(lang);
  const numberFormat = new Intl.NumberFormat(locale);
  const byteFormats = BYTE_UNITS.map(
    // Narrow: "727B", "1.2MB" — the short form reads "727 byte" in English.
    (unit) =>
      new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow', maximumFractionDigits: 1 }),
  );
  const durationFormats = DURATION_UNITS.map(
    ([unit]) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'narrow' }),
  );
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const shortDateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const timeFormat = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });

  return {
    number: (n) => numberFormat.format(n),
    bytes(n) {
      let value = Math.max(0, n);
      let i = 0;
      while (value >= 1024 && i < BYTE_UNITS.length - 1) {
        value /= 1024;
        i += 1;
      }
      return (byteFormats[i] ?? numberFormat).format(value);
    },
    dateTime: (ms) => dateTimeFormat.format(ms),
    shortDateTime: (ms) => shortDateTimeFormat.format(ms),
    time: (ms) => timeFormat.format(ms),
    relative(ms, now) {
      const seconds = Math.round((ms - now) / 1000);
      const [unit, size] = RELATIVE_UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
      return relativeFormat.format(Math.round(seconds / size), unit);
    },
    duration(seconds) {
      const total = Math.max(0, Math.floor(seconds));
      const unitText = (i: number, amount: number) => (durationFormats[i] ?? numberFormat).format(amount);
      const i = DURATION_UNITS.findIndex(([, size]) => total >= size);
      const major = DURATION_UNITS[i];
      if (!major) return unitText(DURATION_UNITS.length - 1, 0);
      const parts = [unitText(i, Math.floor(total / major[1]))];
      const minor = DURATION_UNITS[i + 1];
      const minorAmount = minor ? Math.floor((total % major[1]) / minor[1]) : 0;
      if (minorAmount > 0) parts.push(unitText(i + 1, minorAmount));
      return parts.join(' ');
    },
    countdown(seconds) {
      const s = Math.max(0, Math.ceil(seconds));
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      return h > 0 ? `${h}:${pad2(m)}:${pad2(s % 60)}` : `${m}:${pad2(s % 60)}`;
    },
  };
}
