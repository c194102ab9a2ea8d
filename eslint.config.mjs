// Lint rules, including the folder import rules of STYLE.md §1: dependencies point inward.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const inward = (message, ...groups) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
})

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'ui/dist/**',
      // Typechecked with the component tests' tsconfig (node and DOM types); not in ui/'s own.
      'ui/vite.config.ts',
      'test/fixtures/**',
      'bin/**',
      '**/*.mjs',
      'coverage/**',
      '.build-*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: inward(
      'core is pure and shared with the UI: it may import only zod and itself (no node:, no other src folders).',
      'node:*',
      'fs',
      'path',
      'child_process',
      '../store/*',
      '../security/*',
      '../tools/*',
      '../agents/*',
      '../workspace/*',
      '../orchestrator/*',
      '../server/*',
      '../cli/*',
      '../scripted-model/*',
      'better-sqlite3',
    ),
  },
  {
    files: ['ui/src/**/*.ts', 'ui/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/|^node:',
              message:
                'the UI runs in the browser and shares only src/core with the server: import it from @core/ instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/store/**/*.ts',
      'src/security/**/*.ts',
      'src/workspace/**/*.ts',
      'src/scripted-model/**/*.ts',
    ],
    rules: inward(
      'store, security, workspace and scripted-model sit below tools/agents/orchestrator and may use only core.',
      '../tools/*',
      '../agents/*',
      '../orchestrator/*',
      '../server/*',
      '../cli/*',
    ),
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: inward(
      'sandbox is the launcher every path uses: it may import only core and node builtins.',
      '../store/*',
      '../security/*',
      '../tools/*',
      '../agents/*',
      '../workspace/*',
      '../orchestrator/*',
      '../server/*',
      '../cli/*',
      '../scripted-model/*',
    ),
  },
  {
    files: ['src/tools/**/*.ts', 'src/agents/**/*.ts'],
    rules: inward(
      'tools and agents must not reach up into the orchestrator, server or cli.',
      '../orchestrator/*',
      '../server/*',
      '../cli/*',
    ),
  },
  {
    files: ['src/orchestrator/**/*.ts'],
    rules: inward(
      'the orchestrator is used by cli and server, never the other way round.',
      '../server/*',
      '../cli/*',
    ),
  },
  {
    files: ['src/server/**/*.ts'],
    rules: inward(
      'server and cli are siblings; share code through the orchestrator or core.',
      '../cli/*',
    ),
  },
  {
    // Every command is registered at start (names, options, help); what an action needs is loaded
    // with `await import()` when it runs, so `autocoder --help` or `policy check` stays fast.
    files: ['src/cli/main.ts', 'src/cli/util.ts', 'src/cli/commands/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../*.js',
                '!../util.js',
                '!../format-event.js',
                '../../**/*.js',
                '!../../core/feature-states.js',
                '!../../tools/tool-context.js',
                '!../../store/autocoder-home.js',
                '!../../agents/demo-options.js',
                'zod',
                'yaml',
              ],
              allowTypeImports: true,
              message:
                'commands load at every start: import this inside the action with `await import()` (type imports are fine).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'src/scripted-model/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
)
