/**
 * Exact access-key counts under concurrency and across restarts (issue "Access control" §2): 30
 * simultaneous requests on a key limited to 20 → exactly 20 succeed and the count is 20; a new core on
 * the same DATA_DIR after a crash (nothing flushed, a torn last journal line) still knows the 20; and a
 * crash between writing the snapshot and deleting the journal does not count the uses twice.
 */
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessKeyDto, CreatedAccessKey } from '../../shared/admin-contract';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';

const PASSWORD = 'durable-Password-5';
const CHAT = { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'count me' }] };

let fake: FakeGemini;
let dataDir: string;
const opened: TestGateway[] = [];

beforeAll(async () => {
  fake = await startFakeGemini();
  dataDir = mkdtempSync(join(tmpdir(), 'gemgate-durability-'));
});
afterAll(async () => {
  for (const gw of opened) await gw.abandon().catch(() => undefined);
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function boot(): Promise<TestGateway> {
  const gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    settings: { password: PASSWORD },
    dataDir,
  });
  opened.push(gw);
  return gw;
}

async function admin(gw: TestGateway, method: string, path: string, body?: unknown): Promise<unknown> {
  const login = await fetch(`${gw.url}/admin/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${gw.url}/admin/api/access-keys${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return res.json();
}

const usedOf = async (gw: TestGateway, id: string) =>
  ((await admin(gw, 'GET', '')) as AccessKeyDto[]).find((k) => k.id === id);

const chatWith = async (gw: TestGateway, key: string) => {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(CHAT),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
};

describe('exact counts', () => {
  let created: CreatedAccessKey;
  let unlimited: CreatedAccessKey;

  it('limit 20, 30 concurrent requests → exactly 20 succeed, 10 are told the key is used up; count 20', async () => {
    const gw = await boot();
    created = (await admin(gw, 'POST', '', { name: 'shared', limit: 20 })) as CreatedAccessKey;
    unlimited = (await admin(gw, 'POST', '', { name: 'unlimited' })) as CreatedAccessKey;
    // A slow upstream keeps all 30 in flight at once: none is counted before all were admitted.
    fake.script(() => ({ kind: 'slow', delayMs: 150 }));
    const replies = await Promise.all(Array.from({ length: 30 }, () => chatWith(gw, created.key)));
    fake.script(() => undefined);

    expect(replies.filter((r) => r.status === 200)).toHaveLength(20);
    const refused = replies.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(10);
    for (const r of refused)
      expect(r).toMatchObject({ status: 401, body: { error: { code: 'access_key_exhausted' } } });
    expect(generateCalls(fake)).toHaveLength(20);
    await vi.waitFor(async () =>
      expect(await usedOf(gw, created.record.id)).toMatchObject({ used: 20, status: 'exhausted' }),
    );

    for (let i = 0; i < 7; i++) expect((await chatWith(gw, unlimited.key)).status).toBe(200);
    await vi.waitFor(async () => expect((await usedOf(gw, unlimited.record.id))?.used).toBe(7));
  });

  it('a crash (nothing flushed) with a torn last journal line loses no acknowledged use', async () => {
    const crashed = opened.at(-1)!;
    await crashed.abandon();
    const journal = join(dataDir, 'access-keys.journal');
    expect(existsSync(journal)).toBe(true);
    // The files hold only hashes and are private to the owner.
    for (const file of ['access-keys.json', 'access-keys.journal']) {
      expect(readFileSync(join(dataDir, file), 'utf8')).not.toContain(created.key.slice(3));
      if (process.platform !== 'win32') expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    }
    // The process died in the middle of appending one more use.
    appendFileSync(journal, `{"seq":999,"op":{"op":"use","id":"${unlimited.record.id}","at":`);

    const gw = await boot();
    expect(await usedOf(gw, created.record.id)).toMatchObject({ used: 20, status: 'exhausted' });
    expect((await usedOf(gw, unlimited.record.id))?.used).toBe(7);
    expect((await chatWith(gw, created.key)).body.error?.code).toBe('access_key_exhausted');
    expect((await chatWith(gw, unlimited.key)).status).toBe(200);
    await vi.waitFor(async () => expect((await usedOf(gw, unlimited.record.id))?.used).toBe(8));
    // One more key, so the journal the next test replays holds a creation as well as a use.
    await admin(gw, 'POST', '', { name: 'late' });
  });

  it('a crash between writing the snapshot and deleting the journal does not count uses twice', async () => {
    const gw = opened.at(-1)!;
    await gw.abandon();
    const journal = join(dataDir, 'access-keys.journal');
    const saved = join(dataDir, 'journal-before-compaction');
    copyFileSync(journal, saved);

    // Starting compacts: the snapshot now holds everything and the journal is gone…
    const compacted = await boot();
    expect(existsSync(journal)).toBe(false);
    await compacted.abandon();
    // …unless the process died right after the snapshot's rename: the journal is still there.
    copyFileSync(saved, journal);
    rmSync(saved);

    const next = await boot();
    expect((await usedOf(next, unlimited.record.id))?.used).toBe(8);
    expect((await usedOf(next, created.record.id))?.used).toBe(20);
    const all = (await admin(next, 'GET', '')) as AccessKeyDto[];
    expect(all.map((k) => k.name).sort()).toEqual(['late', 'shared', 'unlimited']);
  });

  it('a clean shutdown flushes into the snapshot; the next start has the same keys and counts', async () => {
    const gw = opened.at(-1)!;
    opened.pop();
    await gw.close();
    expect(existsSync(join(dataDir, 'access-keys.journal'))).toBe(false);
    const next = await boot();
    expect((await usedOf(next, unlimited.record.id))?.used).toBe(8);
    expect((await chatWith(next, created.key)).body.error?.code).toBe('access_key_exhausted');
  });
});
