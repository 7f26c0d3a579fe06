import { mkdtempSync, rmSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RETENTION_DAYS, UsageRecorder } from '../../../main/server/usage/usage-recorder';

const HOUR = 3600_000;
const NOW = Date.UTC(2026, 10, 26, 12, 30);
const labels = { keyMasked: (id: string) => `masked-${id}`, accessKeyName: (id: string) => `name-${id}` };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gemgate-usage-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('usage recorder', () => {
  it('adds requests into hourly buckets and reports hours for 24h', () => {
    const usage = new UsageRecorder(tempDir());
    usage.record({
      time: NOW,
      model: 'gemini-2.5-flash',
      keyId: 'k1',
      ok: true,
      promptTokens: 10,
      completionTokens: 20,
      reasoningTokens: 5,
    });
    usage.record({
      time: NOW - 2 * HOUR,
      model: 'gemini-2.5-flash',
      keyId: 'k2',
      accessKeyId: 'a1',
      ok: false,
    });
    usage.record({ time: NOW - 30 * HOUR, model: 'gemini-2.5-pro', keyId: 'k1', ok: true, promptTokens: 1 });
    const day = usage.report('24h', NOW, labels);
    expect(day.series).toHaveLength(24);
    expect(day.series.at(-1)).toMatchObject({
      start: Date.UTC(2026, 10, 26, 12),
      requests: 1,
      promptTokens: 10,
      completionTokens: 20,
      reasoningTokens: 5,
    });
    expect(day.series.at(-3)).toMatchObject({ requests: 1, errors: 1 });
    expect(day.total).toEqual({
      requests: 2,
      errors: 1,
      promptTokens: 10,
      completionTokens: 20,
      reasoningTokens: 5,
    });
    expect(day.byModel.map((m) => [m.model, m.requests])).toEqual([['gemini-2.5-flash', 2]]);
    expect(day.byKey.map((k) => [k.masked, k.requests])).toEqual([
      ['masked-k1', 1],
      ['masked-k2', 1],
    ]);
    expect(day.byAccessKey).toEqual([
      expect.objectContaining({ accessKeyId: 'a1', name: 'name-a1', requests: 1, errors: 1 }),
    ]);

    const week = usage.report('7d', NOW, labels);
    expect(week.series).toHaveLength(7);
    expect(week.total.requests).toBe(3);
    expect(week.series.at(-1)?.start).toBe(Date.UTC(2026, 10, 26));
    expect(week.series.at(-2)?.requests).toBe(1);
    usage.close(NOW);
  });

  it('reports a failed write instead of throwing from the timer', async () => {
    const errors: unknown[] = [];
    const dir = tempDir();
    const usage = new UsageRecorder(dir, (err) => errors.push(err));
    rmSync(dir, { recursive: true, force: true });
    usage.record({ time: NOW, model: 'm', ok: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(usage.report('24h', NOW, labels).total.requests).toBe(1);
  });

  it('survives a restart, including journal lines not yet compacted and a torn last line', async () => {
    const dir = tempDir();
    const first = new UsageRecorder(dir);
    for (let i = 0; i < 5; i++)
      first.record({ time: NOW, model: 'm', keyId: 'k', ok: true, promptTokens: 2 });
    // Records of one event-loop turn are written together, before the next turn.
    await new Promise((resolve) => setImmediate(resolve));
    // A crash: no flush; and the process died in the middle of writing one more line.
    appendFileSync(join(dir, 'usage.journal'), '{"seq":6,"op":{"h":');
    const second = new UsageRecorder(dir);
    expect(second.report('24h', NOW, labels).total).toMatchObject({ requests: 5, promptTokens: 10 });
    second.record({ time: NOW, model: 'm', keyId: 'k', ok: true });
    second.close(NOW);
    expect(new UsageRecorder(dir).report('24h', NOW, labels).total.requests).toBe(6);
  });

  it('writes the records of one turn as one journal line per bucket, summed', async () => {
    const dir = tempDir();
    const usage = new UsageRecorder(dir);
    for (let i = 0; i < 4; i++)
      usage.record({
        time: NOW + i,
        model: 'm',
        keyId: 'k',
        ok: i !== 2,
        promptTokens: 3,
        completionTokens: 1,
      });
    usage.record({ time: NOW, model: 'm', keyId: 'other', ok: true, reasoningTokens: 7 });
    await new Promise((resolve) => setImmediate(resolve));
    const lines = readFileSync(join(dir, 'usage.journal'), 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { op: unknown }).op)).toEqual([
      { h: NOW - 30 * 60_000, m: 'm', k: 'k', a: '', r: 4, e: 1, p: 12, c: 4, t: 0 },
      { h: NOW - 30 * 60_000, m: 'm', k: 'other', a: '', r: 1, e: 0, p: 0, c: 0, t: 7 },
    ]);
    // The next turn starts a new batch: the same bucket gets a line of its own, added on top.
    usage.record({ time: NOW, model: 'm', keyId: 'k', ok: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(readFileSync(join(dir, 'usage.journal'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(new UsageRecorder(dir).report('24h', NOW, labels).total).toMatchObject({
      requests: 6,
      errors: 1,
      promptTokens: 12,
      reasoningTokens: 7,
    });
    usage.close(NOW);
  });

  it('drops hours past the retention when flushed', () => {
    const usage = new UsageRecorder(tempDir());
    usage.record({ time: NOW - (RETENTION_DAYS + 1) * 24 * HOUR, model: 'old', ok: true });
    usage.record({ time: NOW, model: 'new', ok: true });
    usage.flush(NOW);
    const report = usage.report('30d', NOW + 365 * 24 * HOUR, labels);
    expect(report.total.requests).toBe(0);
    expect(usage.report('30d', NOW, labels).byModel.map((m) => m.model)).toEqual(['new']);
    usage.close(NOW);
  });
});
