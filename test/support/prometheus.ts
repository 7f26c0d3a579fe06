/** Reading Prometheus text in tests. */

/** The value of one sample line, e.g. `gemgate_keys{state="active"}`; undefined when absent. */
export const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
