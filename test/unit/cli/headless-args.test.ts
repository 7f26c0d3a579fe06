import { describe, expect, it } from 'vitest';
import { helpText, parseHeadlessArgs } from '../../../main/cli/headless-args';
import { settingKeys, settingSpecs } from '../../../shared/settings-schema';

describe('headless command line', () => {
  it('turns flags into the environment variables they stand for', () => {
    expect(
      parseHeadlessArgs([
        '--port',
        '8080',
        '--host=127.0.0.1',
        '--data-dir',
        '/srv/gg',
        '--env-file',
        'prod.env',
      ]),
    ).toEqual({
      kind: 'run',
      env: { PORT: '8080', HOST: '127.0.0.1', DATA_DIR: '/srv/gg' },
      envFile: 'prod.env',
    });
    expect(parseHeadlessArgs([])).toEqual({ kind: 'run', env: {}, envFile: undefined });
  });

  it('answers --help with every setting of the schema, and --version', () => {
    const help = parseHeadlessArgs(['--help']);
    expect(help.kind).toBe('help');
    const text = help.kind === 'help' ? help.text : '';
    for (const key of settingKeys) expect(text).toContain(settingSpecs[key].env);
    expect(text).toContain('--env-file');
    expect(parseHeadlessArgs(['-v'])).toEqual({ kind: 'version' });
    expect(helpText()).toBe(text);
  });

  it('refuses unknown flags and stray arguments with a hint', () => {
    for (const argv of [['--prot', '1'], ['serve'], ['--port']]) {
      const result = parseHeadlessArgs(argv);
      expect(result.kind).toBe('error');
      expect(result.kind === 'error' && result.message).toContain('--help');
    }
  });
});
