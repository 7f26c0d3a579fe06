/**
 * The Keys page in headless Chromium against the real server: Gemini keys pasted with mixed
 * separators and a duplicate land in the health table, masked, checked against the (fake) upstream,
 * and one is removed; an access key is created and its full key shown exactly once — and it works.
 * The xAI keys section: a hint leading to the setting while XAI_API_KEYS is empty; once traffic
 * through /xai/v1 has cooled one pooled key and got another rejected by the (fake) xAI, each shows
 * masked with its state and why, and the rejected one can be enabled again.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import { translate } from '../../renderer/i18n/index';
import { maskKey } from '../../main/server/keys/mask-key';
import { DEFAULT_FAKE_KEY } from '../fakes/fake-gemini';
import { FAKE_XAI_KEY, startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { byTestId, expectCount, expectText, openPage, signIn, startE2e, type E2e } from './harness';

const K1 = 'AIzaSyE2eAlphaKey7q3LmN0pQrStUv1111';
const K2 = 'AIzaSyE2eBravoKey8r4MnO1qRsTuVw2222';
const K3 = 'AIzaSyE2eCharlieBad9s5NoP2rStUvX3333';
const X1 = 'xai-E2eAlphaPooled7q3LmN0pQr1111';
const X2 = 'xai-E2eBravoPooled8r4MnO1qRs2222';
const X3 = 'xai-E2eCharliePooled9s5NoP2rS3333';

let e2e: E2e;
let xai: FakeXai;

beforeAll(async () => {
  xai = await startFakeXai({ keys: [FAKE_XAI_KEY, X1, X2, X3] });
  e2e = await startE2e({
    fakeKeys: { [DEFAULT_FAKE_KEY]: 'valid', [K1]: 'valid', [K2]: 'valid', [K3]: 'invalid' },
    keys: [DEFAULT_FAKE_KEY],
    settings: { xaiBaseUrl: xai.url, xaiApiKeys: [] },
  });
  await signIn(e2e);
});
afterAll(async () => {
  await e2e?.close();
  await xai?.close();
});

/** The table row of a key, found by its masked form. */
const rowOf = (key: string) => byTestId(e2e.page, 'key-row').filter({ hasText: maskKey(key) });

describe('Gemini keys', () => {
  it('pasted keys (comma, new line, semicolon; one duplicate) appear masked in the health table', async () => {
    const { page } = e2e;
    const keys = await openPage(page, 'keys');
    await expectCount(byTestId(keys, 'key-row'), 1);
    await byTestId(keys, 'keys-paste').fill(`${K1}, ${K2}\n${K3};${K1}`);
    await byTestId(keys, 'add-keys').click();
    await expectText(
      byTestId(keys, 'add-keys-result'),
      translate('en', 'keys.addResult', { added: 3, duplicates: 1 }),
    );
    expect(await byTestId(keys, 'keys-paste').inputValue()).toBe('');
    await expectCount(byTestId(keys, 'key-row'), 4);
    for (const key of [DEFAULT_FAKE_KEY, K1, K2, K3]) await expectCount(rowOf(key), 1);
    // Masked everywhere on the page: no full key in the text, the inputs or the attributes.
    const html = await page.content();
    for (const key of [K1, K2, K3]) expect(html).not.toContain(key);
    expect(maskKey(K1)).toBe('AIza…1111');

    // The health: "Check all" asks the fake Gemini; the invalid key ends up disabled, with why.
    await byTestId(keys, 'check-all-keys').click();
    await byTestId(page, 'toast')
      .filter({ hasText: translate('en', 'keys.checkResult', { valid: 3, invalid: 1, other: 0 }) })
      .waitFor();
    await expectText(byTestId(rowOf(K3), 'key-status'), en['keys.status.disabled']);
    await expectText(rowOf(K3).locator('.check-outcome'), en['keys.outcome.invalid']);
    for (const key of [DEFAULT_FAKE_KEY, K1, K2]) {
      await expectText(byTestId(rowOf(key), 'key-status'), en['keys.status.active']);
    }
    // The server holds exactly these keys.
    const listed = await (await e2e.admin()).listKeys();
    expect(listed.map((k) => k.masked).sort()).toEqual([DEFAULT_FAKE_KEY, K1, K2, K3].map(maskKey).sort());
    expect(e2e.gw.settings.get().geminiApiKeys).toEqual([DEFAULT_FAKE_KEY, K1, K2, K3]);
  });

  it('a key removed after confirming is gone from the table and from the server', async () => {
    const { page } = e2e;
    await byTestId(rowOf(K2), 'key-remove').click();
    const dialog = byTestId(page, 'confirm-dialog');
    await expectText(dialog, maskKey(K2));
    // Cancel first: nothing happens.
    await byTestId(dialog, 'confirm-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    await expectCount(byTestId(page, 'key-row'), 4);

    await byTestId(rowOf(K2), 'key-remove').click();
    await byTestId(page, 'confirm-ok').click();
    await expectCount(byTestId(page, 'key-row'), 3);
    await expectCount(rowOf(K2), 0);
    const listed = await (await e2e.admin()).listKeys();
    expect(listed.map((k) => k.masked)).not.toContain(maskKey(K2));
    expect(e2e.gw.settings.get().geminiApiKeys).toEqual([DEFAULT_FAKE_KEY, K1, K3]);
    expect(e2e.problems.errors).toEqual([]);
  });
});

describe('access keys', () => {
  it('a new access key is shown in full once, works on the API, and the table shows only a preview', async () => {
    const { page } = e2e;
    const section = byTestId(page, 'access-keys');
    await expectText(section, en['access.none']);
    await byTestId(section, 'create-access-key').click();
    const dialog = byTestId(page, 'access-key-dialog');
    await byTestId(dialog, 'access-input-name').fill('CI bot');
    await byTestId(dialog, 'access-input-limit').fill('100');
    await byTestId(dialog, 'access-key-save').click();

    const created = byTestId(page, 'access-key-created');
    await expectText(created, en['access.createdOnce']);
    const full = ((await byTestId(created, 'access-key-full').textContent()) ?? '').trim();
    expect(full).toMatch(/^sk-[A-Za-z0-9_-]{20,}$/);

    // The key works with the openai SDK, and counts against its limit.
    const client = e2e.openai(full);
    const answer = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hello from CI' }],
    });
    expect(answer.choices[0]!.message.content).toBeTruthy();
    // One character changed — to one it is not already (a key ending in "x" made this pass through).
    const wrong = await e2e
      .openai(`${full.slice(0, -1)}${full.endsWith('x') ? 'y' : 'x'}`)
      .models.list()
      .catch((err: unknown) => err);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);

    await byTestId(created, 'access-key-done').click();
    await created.waitFor({ state: 'detached' });
    const row = byTestId(section, 'access-key-row');
    await expectCount(row, 1);
    await expectText(row, 'CI bot');
    await expectText(row, /1 \/ 100/);
    const preview = ((await row.locator('code').textContent()) ?? '').trim();
    expect(preview.length).toBeLessThan(full.length);
    expect(full.startsWith(preview.split('…')[0]!)).toBe(true);
    // Never again in the page: not in the table, not when editing it.
    expect(await page.content()).not.toContain(full);
    await byTestId(row, 'access-key-edit').click();
    await byTestId(page, 'access-key-dialog').waitFor();
    expect(await page.content()).not.toContain(full);
    await page.keyboard.press('Escape');
    await byTestId(page, 'access-key-dialog').waitFor({ state: 'detached' });
    expect(e2e.problems.errors).toEqual([]);
  });
});

describe('xAI keys', () => {
  const xaiRowOf = (key: string) => byTestId(e2e.page, 'xai-key-row').filter({ hasText: maskKey(key) });

  it('without XAI_API_KEYS: a short hint whose link opens the setting', async () => {
    const { page } = e2e;
    const section = byTestId(await openPage(page, 'keys'), 'xai-keys');
    await expectText(section.locator('h2'), en['xaiKeys.title']);
    const hint = byTestId(section, 'xai-keys-none');
    await expectText(hint, en['xaiKeys.none']);
    await expectCount(byTestId(section, 'xai-key-row'), 0);
    await hint.getByRole('link', { name: en['xaiKeys.openSettings'] }).click();
    await byTestId(page, 'page-settings').waitFor();
    await byTestId(page, 'setting-xaiApiKeys').waitFor();
  });

  it('a cooling and a disabled pooled key, masked with why; the disabled one enabled again', async () => {
    const { page } = e2e;
    e2e.gw.settings.update({ xaiApiKeys: [X1, X2, X3] });
    // One request through the relay: X1 is rate-limited, xAI rejects X2 (quoting it in full, as a
    // relay in front of xAI might), X3 answers.
    xai.script((r) => {
      if (r.key === X1) {
        return {
          kind: 'error',
          status: 429,
          body: { code: 'x', error: 'slow down' },
          headers: { 'retry-after': '600' },
        };
      }
      if (r.key === X2) {
        return {
          kind: 'error',
          status: 400,
          body: { code: 'x', error: `Incorrect API key provided: ${X2}` },
        };
      }
      return undefined;
    });
    const res = await fetch(`${e2e.gw.url}/xai/v1/models`, {
      headers: { authorization: `Bearer ${e2e.gw.settings.get().password}` },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    xai.script(undefined);

    await openPage(page, 'dashboard');
    const section = byTestId(await openPage(page, 'keys'), 'xai-keys');
    await expectCount(byTestId(section, 'xai-key-row'), 3);
    await expectCount(byTestId(section, 'xai-keys-none'), 0);
    const cooling = new RegExp(`^${en['keys.status.cooling'].replace('{left}', '(9:\\d{2}|10:00)')}$`);
    await expectText(byTestId(xaiRowOf(X1), 'key-status'), cooling);
    await expectText(xaiRowOf(X1), 'HTTP 429 from xAI');
    await expectText(byTestId(xaiRowOf(X2), 'key-status'), en['keys.status.disabled']);
    await expectText(xaiRowOf(X2), `Incorrect API key provided: ${maskKey(X2)}`);
    await expectText(byTestId(xaiRowOf(X3), 'key-status'), en['keys.status.active']);
    // Read-only but for the disabled key's second chance; no token column (the relay counts none).
    await expectCount(byTestId(section, 'xai-key-enable'), 1);
    await expectCount(byTestId(xaiRowOf(X2), 'xai-key-enable'), 1);
    await expectCount(section.locator('th', { hasText: en['keys.col.tokens'] }), 0);
    const html = await page.content();
    for (const key of [X1, X2, X3]) expect(html).not.toContain(key);

    await byTestId(xaiRowOf(X2), 'xai-key-enable').click();
    await byTestId(page, 'toast')
      .filter({ hasText: translate('en', 'xaiKeys.enabledAgain', { key: maskKey(X2) }) })
      .waitFor();
    await expectText(byTestId(xaiRowOf(X2), 'key-status'), en['keys.status.active']);
    await expectCount(byTestId(section, 'xai-key-enable'), 0);
    await expectText(byTestId(xaiRowOf(X1), 'key-status'), cooling);
    const listed = await (await e2e.admin()).listXaiKeys();
    expect(listed.map((k) => [k.masked, k.status])).toEqual([
      [maskKey(X1), 'cooling'],
      [maskKey(X2), 'active'],
      [maskKey(X3), 'active'],
    ]);
    expect(e2e.problems.errors).toEqual([]);
  });
});
