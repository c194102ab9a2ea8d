// Lint rules, including the folder import rules of STYLE.md §1: dependencies point inward.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

import { boundariesPlugin } from './scripts/eslint-module-boundaries.mjs'

// The modules of src/ and which may import which (STYLE.md §1, AGENTS.md "Module boundaries").
// Checked at any folder depth by scripts/eslint-module-boundaries.mjs: an import from another
// module names that module's index.js (never its internal files), and only in the directions below.
// Within a module imports stay relative to the file. core/api and server/chat are modules of their
// own inside core and server: others (their parent too) import them through their index.
const MODULE_BOUNDARIES = {
  root: import.meta.dirname,
  modules: {
    core: {
      mayImport: [],
      why: 'core is pure and shared with the UI: it may import only zod and itself.',
    },
    'core/api': {},
    sandbox: {
      mayImport: ['core'],
      why: 'sandbox is the launcher every path uses: it may import only core and node builtins.',
    },
    store: {
      mayImport: ['core'],
      why: 'store sits below tools/agents/orchestrator and may use only core.',
    },
    workspace: {
      mayImport: ['core'],
      why: 'workspace sits below agents/orchestrator and may use only core.',
    },
    'scripted-model': {
      mayImport: ['core'],
      why: 'the scripted model is a test double of the model API (tests and the offline demo only) and may use only core.',
    },
    security: {
      mayImport: ['core', 'sandbox'],
      why: 'security decides and confines; it may use only core and the sandbox launcher.',
    },
    tools: {
      mayImport: ['core', 'store'],
      why: 'feature tools work on the store; they must not reach agents, the orchestrator, server or cli.',
    },
    agents: {
      mayImport: ['core', 'store', 'security', 'sandbox', 'tools', 'workspace'],
      why: 'agents must not reach up into the orchestrator, server or cli, nor talk to the scripted model.',
    },
    demo: {
      mayImport: ['core', 'store', 'agents', 'scripted-model'],
      why: 'the offline demo prepares a project and plays it with the scripted model; the cli runs it.',
    },
    orchestrator: {
      mayImport: ['core', 'store', 'security', 'sandbox', 'tools', 'workspace', 'agents'],
      why: 'the orchestrator is used by cli and server, never the other way round; it never talks to the scripted model.',
    },
    server: {
      mayImport: ['core', 'store', 'security', 'sandbox', 'workspace', 'agents', 'orchestrator'],
      why: 'server and cli are siblings (share code through the orchestrator or core); the server never talks to the scripted model.',
    },
    'server/chat': {},
    cli: {
      mayImport: [
        'core',
        'store',
        'security',
        'sandbox',
        'tools',
        'workspace',
        'agents',
        'orchestrator',
        'server',
        'demo',
      ],
      why: 'nothing imports the cli; only `autocoder demo` (through the demo module) uses the scripted model.',
    },
  },
  // Where some modules may be imported at all (file globs of the importing files).
  limits: [
    // Server -> store/agents (AGENTS.md "Module boundaries"): the server uses the store through
    // its index (registry, project stores, reads for its views, the lifecycle functions every entry
    // point calls). Runs and what a run would use (provider, models, lock liveness) come from the
    // orchestrator. Agents directly only where the server starts agent-like work outside any run.
    {
      from: 'server',
      to: 'agents',
      files: [
        'src/server/chat/**',
        'src/server/app.ts',
        'src/server/autocoder-server.ts',
        'src/server/routes/feature-activity.ts',
      ],
      why: 'the server reaches agents only for the chats (agent sessions outside a run), the dev-server sandbox and the sandbox probe of the policy view; runs and run settings go through the orchestrator.',
    },
  ],
  // Declared deep imports: the CLI's start path. An index loads its whole module (zod, SQLite,
  // tree-sitter, the Agent SDK); these files import nothing heavy. Check `npm run bench -- cli`.
  exceptions: [
    {
      why: '`autocoder --help` loads every command file at start (~180 ms goal): light modules only.',
      files: ['src/cli/commands/*.ts'],
      targets: [
        'src/core/feature-states.ts',
        'src/tools/tool-context.ts',
        'src/store/autocoder-home.ts',
        'src/demo/demo-options.ts',
      ],
    },
    {
      why: '`autocoder plan --json` (300 ms goal) plans without loading zod.',
      files: ['src/cli/commands/plan.ts'],
      targets: ['src/core/scheduling.ts'],
    },
    {
      why: '`autocoder policy check` (250 ms goal) loads the policy and the decision from one entry (one file once built, scripts/build.mjs), not the hook, sandbox and SDK.',
      files: ['src/cli/commands/policy.ts'],
      targets: ['src/security/policy-check.ts'],
    },
    {
      why: '`autocoder policy check` (250 ms goal) starts compiling the bash grammar (wasm, on background threads) before commander and the policy load; the index would load the hook, sandbox and SDK.',
      files: ['src/cli/main.ts'],
      targets: ['src/security/bash-wasm.ts', 'src/security/policy-check.ts'],
    },
    {
      why: '`autocoder status --json` (300 ms goal) reads the database without zod, the repos and the run loop.',
      files: ['src/cli/commands/status.ts', 'src/cli/util.ts'],
      targets: ['src/store/project-status.ts', 'src/store/project-database.ts'],
    },
    {
      why: "the status reader and what opens a database are on `status --json`'s path: core's zod-free files only.",
      files: [
        'src/store/project-status.ts',
        'src/store/database.ts',
        'src/store/private-files.ts',
        'src/store/lock-repo.ts',
      ],
      targets: ['src/core/result.ts', 'src/core/feature-states.ts', 'src/core/sandbox-kinds.ts'],
    },
    {
      why: "`autocoder policy check` (250 ms goal) loads the policy without zod (core's index loads it).",
      files: ['src/security/load-policy.ts'],
      targets: ['src/core/result.ts'],
    },
  ],
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'ui/dist/**',
      // Typechecked with the component tests' tsconfig (node and DOM types); not in ui/'s own.
      'ui/vite.config.ts',
      'ui/route-preloads.ts',
      'ui/precompress.ts',
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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3'],
              message:
                'core is pure and shared with the UI: it may import only zod and itself (no node:, no other src folders).',
            },
          ],
        },
      ],
    },
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
    files: ['src/**/*.ts'],
    plugins: { boundaries: boundariesPlugin },
    rules: { 'boundaries/modules': ['error', MODULE_BOUNDARIES] },
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
                '!../../demo/demo-options.js',
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
