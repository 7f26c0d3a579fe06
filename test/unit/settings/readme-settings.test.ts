import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withSettingsTables } from '../../../scripts/settings-doc';
import { settingKeys, settingSpecs } from '../../../shared/settings-schema';

describe('README settings tables', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

  it('are current with the schema (run `npm run docs:settings` after changing it)', () => {
    expect(withSettingsTables(readme)).toBe(readme);
  });

  it('document every environment variable', () => {
    for (const key of settingKeys) expect(readme).toContain(`\`${settingSpecs[key].env}\``);
  });
});
