/**
 * A damaged settings file against the real `conf` (what electron-store wraps), opened the way the
 * shell opens it: set aside under a new name with its bytes kept, then a fresh file with the
 * defaults; anything that is not damage still fails the start.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settingsDefaults } from '../../shared/settings-schema';
import { createSecretCodec } from '../../main/electron/secrets';
import { openSettingsFile } from '../../main/electron/settings-file';
import { SETTINGS_KEY, STORE_NAME } from '../../main/electron/settings-migrations';
import { ElectronSettingsStore } from '../../main/electron/settings-store';
import { openConfStore } from './conf-store';

let dir: string;
let setAside: [string, string][];
const file = () => join(dir, `${STORE_NAME}.json`);
const open = () =>
  openConfStore(dir, { onMigration: () => undefined, onSetAside: (from, to) => setAside.push([from, to]) });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gemgate-file-'));
  setAside = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a damaged settings file', () => {
  it.each([
    ['cut short', '{"settings": {"port": 7001, "password": "hunter2'],
    ['empty', ''],
    ['blank', ' \n\t'],
    ['binary garbage', Buffer.from([0x00, 0x9f, 0xff, 0x13, 0x80, 0x00])],
    // Valid JSON, but no object: conf alone would silently overwrite these.
    ['an array', '[{"settings": {"port": 7001}}]'],
    ['a string', '"x"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('%s: is set aside with its bytes, and the store starts from the defaults', (_name, content) => {
    writeFileSync(file(), content);
    const bytes = readFileSync(file());
    const store = open();
    expect(setAside).toHaveLength(1);
    const [from, to] = setAside[0]!;
    expect(from).toBe(file());
    // Beside it, named after the time, without the colons Windows forbids in file names.
    expect(to.slice(0, file().length)).toBe(file());
    expect(to.slice(file().length)).toMatch(/^\.damaged-\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z$/);
    expect(readFileSync(to).equals(bytes)).toBe(true);

    const settings = new ElectronSettingsStore({
      store,
      secrets: createSecretCodec({
        isEncryptionAvailable: () => false,
        encryptString: () => Buffer.alloc(0),
        decryptString: () => '',
      }),
      baseDir: dir,
    });
    expect(settings.get()).toEqual({ ...settingsDefaults('tray'), dataDir: join(dir, 'data') });
    expect(settings.warnings).toEqual([]);
    // The new file is a working one: a save lands in it, the damaged copy stays as it was.
    store.set(SETTINGS_KEY, { port: 7002 });
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ settings: { port: 7002 } });
    expect(readFileSync(to).equals(bytes)).toBe(true);
  });

  it('a byte order mark (older Notepad) is not damage', () => {
    writeFileSync(file(), '\uFEFF{"settings": {"port": 7003}}');
    expect(open().get(SETTINGS_KEY)).toEqual({ port: 7003 });
    expect(setAside).toEqual([]);
  });

  it('a sound file is opened as it is', () => {
    writeFileSync(file(), JSON.stringify({ settings: { port: 7004 } }));
    expect(open().get(SETTINGS_KEY)).toEqual({ port: 7004 });
    expect(setAside).toEqual([]);
    expect(readdirSync(dir)).toEqual([`${STORE_NAME}.json`]);
  });

  it('other failures still stop the start, and nothing is moved', () => {
    mkdirSync(file()); // a folder where the file should be
    expect(() => open()).toThrow(/EISDIR/);
    expect(setAside).toEqual([]);
    expect(readdirSync(dir)).toEqual([`${STORE_NAME}.json`]);
  });
});

describe('openSettingsFile', () => {
  const damaged = () => {
    throw new SyntaxError('Unexpected end of JSON input');
  };
  const at = () => new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678));

  it('never overwrites an earlier copy: a second one the same millisecond gets a counter', () => {
    const kept: string[] = [];
    for (const content of ['first', 'second']) {
      writeFileSync(file(), content);
      let calls = 0;
      const opened = openSettingsFile(
        file(),
        () => (calls++ === 0 ? damaged() : 'store'),
        (_from, to) => kept.push(to),
        at,
      );
      expect(opened).toBe('store');
    }
    const base = `${file()}.damaged-2030-01-02T030405.678Z`;
    expect(kept).toEqual([base, `${base}-2`]);
    expect(kept.map((k) => readFileSync(k, 'utf8'))).toEqual(['first', 'second']);
    expect(existsSync(file())).toBe(false); // the store creates it at the first save
  });

  it('a SyntaxError without a file to blame is not hidden', () => {
    expect(() => openSettingsFile(file(), damaged, () => undefined, at)).toThrow(SyntaxError);
  });
});
