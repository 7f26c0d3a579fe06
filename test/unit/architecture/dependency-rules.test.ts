/**
 * Proves the dependency rules of ARCHITECTURE.md are enforced: the lint configuration must reject
 * each forbidden import (a rule that silently stopped matching would otherwise go unnoticed).
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Type information is irrelevant to import rules and unavailable for snippets that are not files.
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });

const ruleIdsFor = async (filePath: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
};

describe('dependency rules', () => {
  it.each([
    ['main/server/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['main/server/routes/x.ts', "import { ipcMain } from 'electron/main';\nexport const a = ipcMain;\n"],
    ['main/server/x.ts', "import { x } from '../electron/tray';\nexport const a = x;\n"],
    ['shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"],
    ['shared/x.ts', "import { join } from 'path';\nexport const a = join;\n"],
    ['shared/x.ts', "import { x } from '../main/server/core';\nexport const a = x;\n"],
  ])('%s may not import: %s', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['main/server/x.ts', 'export const port = process.env.PORT;\n'],
    ['shared/x.ts', 'export const port = process.env.PORT;\n'],
  ])('%s may not read process.env', async (filePath, code) => {
    const ids = await ruleIdsFor(filePath, code);
    expect(ids.some((id) => id === 'no-restricted-syntax' || id === 'no-restricted-globals')).toBe(true);
  });

  it('shared/ may not touch DOM or Node globals', async () => {
    expect(await ruleIdsFor('shared/x.ts', 'export const w = window.location;\n')).toContain(
      'no-restricted-globals',
    );
    expect(await ruleIdsFor('shared/x.ts', "export const b = Buffer.from('x');\n")).toContain(
      'no-restricted-globals',
    );
  });

  it('allows what the rules allow', async () => {
    expect(
      await ruleIdsFor(
        'main/server/x.ts',
        "import { createHash } from 'node:crypto';\nexport const h = createHash;\n",
      ),
    ).toEqual([]);
    expect(
      await ruleIdsFor('shared/x.ts', "import { z } from 'zod';\nexport const s = z.string();\n"),
    ).toEqual([]);
    expect(await ruleIdsFor('main/headless.ts', 'export const port = process.env.PORT;\n')).toEqual([]);
  });
});
