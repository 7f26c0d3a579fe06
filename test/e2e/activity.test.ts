/**
 * What the gateway did, seen in headless Chromium against the real server: a chat sent with the
 * openai SDK shows up live on the Logs page (no reload), an image generated through chat appears in
 * the Gallery (the thumbnail really loads) and is deleted from there (gone from the server too),
 * and the Usage page counts the requests (totals, per model, charts drawn, a line per model, key and
 * access key used in the breakdown charts).
 */
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import { translate } from '../../renderer/i18n/index';
import { maskKey } from '../../main/server/keys/mask-key';
import { DEFAULT_FAKE_KEY } from '../fakes/fake-gemini';
import {
  byTestId,
  eventually,
  expectCount,
  expectText,
  openPage,
  signIn,
  startE2e,
  type E2e,
} from './harness';

/**
 * "Live": the line is on the page this soon after the API answered. Measured at 17–267 ms: the page
 * renders what arrived every 250 ms (FLUSH_MS in Logs.tsx), the rest is the SSE hop and a render.
 */
const LIVE_WITHIN_MS = 1_000;

let e2e: E2e;
/** Chat requests sent so far (the Usage page must count exactly these), with the access key's name. */
const sent: { model: string; ok: boolean; accessKey?: string }[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  await signIn(e2e);
});
afterAll(async () => {
  await e2e?.close();
});

async function chat(
  model: string,
  content: string,
  accessKey?: { name: string; key: string },
): Promise<string> {
  const answer = await e2e
    .openai(accessKey?.key)
    .chat.completions.create({ model, messages: [{ role: 'user', content }] });
  sent.push({ model, ok: true, ...(accessKey ? { accessKey: accessKey.name } : {}) });
  return answer.choices[0]!.message.content ?? '';
}

/** Milliseconds from now until `line` is on the page; fails once LIVE_WITHIN_MS have passed. */
async function msUntilShown(line: Locator): Promise<number> {
  const answered = Date.now();
  await line.waitFor({ timeout: LIVE_WITHIN_MS });
  return Date.now() - answered;
}

describe('Logs', () => {
  it("a chat's log line appears live, within a second of the answer, without reloading", async () => {
    const { page } = e2e;
    const logs = await openPage(page, 'logs');
    // What the gateway kept arrived first (the sign-in line), so the live stream is what follows.
    await expectText(byTestId(logs, 'log-list'), /admin: signed in/);
    await page.evaluate('window.__sameDocument = true');
    const chatLines = byTestId(logs, 'log-line').filter({ hasText: '/v1/chat/completions' });
    await expectCount(chatLines, 0);

    await chat('gemini-2.5-flash-lite', 'Say hi');
    const seenAfterMs = await msUntilShown(chatLines.first());
    const line = chatLines.first();
    await expectText(line, /POST \/v1\/chat\/completions 200 \d+ ms gemini-2\.5-flash-lite/);
    await expectText(line, maskKey(DEFAULT_FAKE_KEY));
    expect(await line.getAttribute('data-level')).toBe('info');
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(seenAfterMs).toBeLessThan(LIVE_WITHIN_MS);

    // Still live: a second one follows as fast, and the filter narrows the list to it.
    await chat('gemini-2.0-flash', 'Again');
    expect(await msUntilShown(chatLines.nth(1))).toBeLessThan(LIVE_WITHIN_MS);
    await expectCount(chatLines, 2);
    await byTestId(logs, 'logs-filter').fill('gemini-2.0-flash');
    await expectCount(byTestId(logs, 'log-line'), 1);
    await byTestId(logs, 'logs-filter').fill('');
    expect(e2e.problems.errors).toEqual([]);
  });
});

describe('Gallery', () => {
  it('an image generated with gemini-2.5-flash-image shows (decoded), then is deleted from the page and the server', async () => {
    const { page, gw } = e2e;
    const reply = await chat('gemini-2.5-flash-image', 'a red fox in the snow');
    const admin = await e2e.admin();
    const before = await admin.listImages({});
    expect(before.total).toBe(1);
    const image = before.entries[0]!;
    expect(reply).toContain(image.url);

    const gallery = await openPage(page, 'gallery');
    const item = byTestId(gallery, 'gallery-item');
    await expectCount(item, 1);
    await expectText(item, 'a red fox in the snow');
    await expectText(item.locator('.caption-model'), 'gemini-2.5-flash-image');
    const thumb = item.locator('img');
    expect(await thumb.getAttribute('src')).toBe(`${gw.url}/images/${image.id}.png`);
    await eventually(() =>
      thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    await expectText(byTestId(gallery, 'image-storage'), /1 images/);

    await byTestId(item, 'gallery-open').click();
    const lightbox = byTestId(page, 'lightbox');
    await expectText(lightbox, 'a red fox in the snow');
    await byTestId(lightbox, 'lightbox-delete').click();
    await expectText(byTestId(page, 'confirm-dialog'), en['gallery.deleteConfirm']);
    await byTestId(page, 'confirm-ok').click();
    await lightbox.waitFor({ state: 'detached' });
    await expectCount(item, 0);
    await expectText(gallery, en['gallery.empty']);
    await expectText(byTestId(gallery, 'image-storage'), /0 images/);

    expect((await admin.listImages({})).total).toBe(0);
    const gone = await fetch(image.url);
    await gone.arrayBuffer();
    expect(gone.status).toBe(404);
    // Still gone after a reload (not just removed from the page).
    await page.reload();
    await byTestId(page, 'page-gallery').waitFor();
    await expectText(byTestId(page, 'page-gallery'), en['gallery.empty']);
    expect(e2e.problems.errors).toEqual([]);
  });
});

/** A chart's legend as label → value, the time column left out (off the chart: the range's totals). */
async function legendOf(chart: Locator): Promise<Map<string, string>> {
  const rows = chart.locator('.u-legend .u-series');
  await eventually(() => rows.count()).toBeGreaterThan(1);
  const labels = await rows.locator('.u-label').allTextContents();
  const values = await rows.locator('.u-value').allTextContents();
  expect(values[0]).toBe(en['chart.total']);
  return new Map(labels.slice(1).map((label, i) => [label, values[i + 1] ?? '']));
}

const tally = (items: string[]) => {
  const counts = new Map<string, string>();
  for (const item of new Set(items)) counts.set(item, String(items.filter((i) => i === item).length));
  return counts;
};

/** A chart title's "{what} per hour/day", in English. */
const per = (unit: 'usage.perHour' | 'usage.perDay', what: 'usage.requests' | 'usage.tokens') =>
  translate('en', unit, { what: en[what] });

const numberIn = async (locator: Locator) => Number((await locator.textContent())?.replace(/\D/g, ''));

describe('Usage', () => {
  it('counts the requests made: totals, charts, a line per model, key and access key used, tables', async () => {
    const { page } = e2e;
    const admin = await e2e.admin();
    const team = await admin.createAccessKey({ name: 'E2E team' });
    await chat('gemini-2.5-flash', 'From the team', { name: 'E2E team', key: team.key });
    expect(sent.length).toBeGreaterThan(0);
    const usage = await openPage(page, 'usage');
    const totals = byTestId(usage, 'usage-totals');
    const requests = totals.locator('.total').filter({ hasText: en['usage.requests'] }).locator('dd');
    await expectText(requests, String(sent.length));
    const prompt = totals.locator('.total').filter({ hasText: en['usage.promptTokens'] }).locator('dd');
    expect(await numberIn(prompt)).toBeGreaterThan(0);

    const byModel = byTestId(usage, 'usage-by-model');
    for (const model of new Set(sent.map((s) => s.model))) {
      const count = sent.filter((s) => s.model === model).length;
      const row = byModel.locator('tbody tr').filter({ hasText: model });
      await expectText(row.locator('td').first(), String(count));
    }
    await expectText(byTestId(usage, 'usage-by-key'), maskKey(DEFAULT_FAKE_KEY));

    const charts = [
      'chart-requests',
      'chart-tokens',
      'chart-by-model',
      'chart-by-key',
      'chart-by-access-key',
    ];
    for (const chart of charts) {
      const canvas = byTestId(usage, chart).locator('canvas');
      await expectCount(canvas, 1);
      const size = await canvas.boundingBox();
      expect(size!.width).toBeGreaterThan(200);
      expect(size!.height).toBeGreaterThan(100);
    }
    expect(await legendOf(byTestId(usage, 'chart-requests'))).toEqual(
      new Map([
        [en['usage.requests'], String(sent.length)],
        [en['usage.errors'], '0'],
      ]),
    );

    // The breakdowns: a line per model, the one key (masked) and the access key used, with their counts.
    const masked = maskKey(DEFAULT_FAKE_KEY);
    const accessKeyNames = sent.flatMap((s) => (s.accessKey ? [s.accessKey] : []));
    expect(await legendOf(byTestId(usage, 'chart-by-model'))).toEqual(tally(sent.map((s) => s.model)));
    expect(await legendOf(byTestId(usage, 'chart-by-key'))).toEqual(new Map([[masked, String(sent.length)]]));
    expect(await legendOf(byTestId(usage, 'chart-by-access-key'))).toEqual(tally(accessKeyNames));
    expect(accessKeyNames).toEqual(['E2E team']);
    await expectText(byTestId(usage, 'chart-by-key'), per('usage.perHour', 'usage.requests'));

    // Tokens: the key's line carries every token of the period (prompt + completion).
    await byTestId(usage, 'usage-metric-tokens').click();
    await eventually(() => byTestId(usage, 'usage-metric-tokens').getAttribute('aria-pressed')).toBe('true');
    await expectText(byTestId(usage, 'chart-by-key'), per('usage.perHour', 'usage.tokens'));
    const completion = totals
      .locator('.total')
      .filter({ hasText: en['usage.completionTokens'] })
      .locator('dd');
    const tokens = (await numberIn(prompt)) + (await numberIn(completion));
    // The title is rendered with the new metric at once, the chart (and its legend) is redrawn a frame
    // later: the key chart's own title is no sign its legend already shows tokens. Polled.
    await eventually(async () => {
      const keyTokens = await legendOf(byTestId(usage, 'chart-by-key'));
      return [...keyTokens].map(([key, value]) => [key, Number(value.replace(/\D/g, ''))]);
    }).toEqual([[masked, tokens]]);
    // The model chart redraws on its own (see below): polled until it shows tokens too.
    const modelTokenSum = async () => {
      const modelTokens = await legendOf(byTestId(usage, 'chart-by-model'));
      expect([...modelTokens.keys()].every((model) => sent.some((s) => s.model === model))).toBe(true);
      return [...modelTokens.values()].reduce((n, v) => n + Number(v.replace(/\D/g, '')), 0);
    };
    await eventually(modelTokenSum).toBe(tokens);

    // The other ranges load too, in days, still counting everything (and still tokens).
    await byTestId(usage, 'usage-range-7d').click();
    await eventually(() => byTestId(usage, 'usage-range-7d').getAttribute('aria-pressed')).toBe('true');
    // The 24 h report stays on the page until the 7 d one arrives, with the same request count: the
    // count is checked once the titles say "per day" (rendered with the totals, from the new report).
    await expectText(byTestId(usage, 'chart-by-key'), per('usage.perDay', 'usage.tokens'));
    await expectText(requests, String(sent.length));
    await byTestId(usage, 'usage-metric-requests').click();
    await expectText(byTestId(usage, 'chart-by-key'), per('usage.perDay', 'usage.requests'));
    // Each chart redraws on its own: the key chart's title changing does not mean the model chart's
    // legend already shows requests rather than tokens (a CI run read it one frame early).
    await eventually(() => legendOf(byTestId(usage, 'chart-by-model'))).toEqual(
      tally(sent.map((s) => s.model)),
    );
    expect(e2e.problems.errors).toEqual([]);
  });
});
