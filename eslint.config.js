// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Dependency rules (ARCHITECTURE.md, "Dependency rules"):
 * - main/server and shared never import electron: under plain Node, importing it tries to download a
 *   binary and throws, which would break the headless server and every test.
 * - shared is imported by the renderer too, so it may use neither node built-ins nor anything of main/.
 * - Only the composition roots (main/headless.ts, main/electron) read process.env.
 */
const electronBan = {
  group: ['electron', 'electron/*', '**/main/electron/**', '**/electron/**', '**/preload/**'],
  message: 'main/server and shared must stay electron-free (see ARCHITECTURE.md).',
};
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const processEnvBan = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Only the composition roots read process.env; take settings through deps instead.',
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'release/**', 'coverage/**', 'test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['main/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronBan] }],
      'no-restricted-syntax': ['error', processEnvBan],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'shared/ runs in the renderer too: no node built-ins.',
          })),
          patterns: [
            electronBan,
            { group: ['**/main/**', '**/renderer/**'], message: 'shared/ depends on nothing of ours.' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', processEnvBan],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    // The settings window runs in a browser (or Electron's sandboxed renderer). It reaches the core
    // only through renderer/lib/api.ts, so it imports renderer/, shared/ and npm packages: never main/,
    // never electron (the preload exposes window.gemgate), never node built-ins.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'renderer/ runs in a browser: no node built-ins.',
          })),
          patterns: [
            {
              group: [
                'electron',
                'electron/*',
                '**/main',
                '**/main/**',
                '**/test/**',
                '**/scripts/**',
                '**/bench/**',
              ],
              message: 'renderer/ may import only from renderer/, shared/ and npm packages (never main/).',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', '__filename'],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
