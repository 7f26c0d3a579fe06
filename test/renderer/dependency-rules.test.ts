/** The renderer's import rule (eslint.config.js): renderer/, shared/ and npm packages only. */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Type information is irrelevant to import rules and unavailable for snippets that are not files.
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });

const ruleIdsFor = async (filePath: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
};

describe('renderer dependency rules', () => {
  it.each([
    [
      'renderer/lib/x.ts',
      "import { createCore } from '../../main/server/core';\nexport const a = createCore;\n",
    ],
    ['renderer/pages/x.tsx', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"],
    ['renderer/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"],
    ['renderer/x.ts', "import { fake } from '../test/fakes/fake-xai';\nexport const a = fake;\n"],
  ])('%s may not import: %s', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toContain('no-restricted-imports');
  });

  it('may import shared/ and npm packages', async () => {
    const code =
      "import { h } from 'preact';\nimport { ADMIN_HTTP } from '../../shared/admin-transport';\nexport const a = [h, ADMIN_HTTP];\n";
    expect(await ruleIdsFor('renderer/lib/x.ts', code)).toEqual([]);
  });

  it('may not use Node globals', async () => {
    expect(await ruleIdsFor('renderer/x.ts', 'export const env = process.env;\n')).toContain(
      'no-restricted-globals',
    );
  });
});
