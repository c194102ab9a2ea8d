// The module boundaries of eslint.config.mjs (scripts/eslint-module-boundaries.mjs), checked with
// ESLint's own API on small sources placed at nested paths: the real configuration, with only the
// import rules running (no type information needed for them).
import { fileURLToPath } from 'node:url'

import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) =>
    ruleId === 'boundaries/modules' || ruleId.endsWith('no-restricted-imports'),
})

/** The messages ESLint reports for `code` as if it were the file `path` (relative to the repo). */
async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` })
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`)
}

describe('module boundaries (ESLint)', () => {
  it("refuses a deep import of another module's internal file from a nested folder", async () => {
    const messages = await lint(
      'src/server/routes/example.ts',
      "import { FeatureRepo } from '../../store/feature-repo.js'\nexport const repo = FeatureRepo\n",
    )
    expect(messages).toEqual([
      expect.stringMatching(
        /^boundaries\/modules: Import store through its index \('\.\.\/\.\.\/store\/index\.js'\), not its internal file src\/store\/feature-repo\.ts/,
      ),
    ])
  })

  it('accepts the same module through its index', async () => {
    const messages = await lint(
      'src/server/routes/example.ts',
      "import { FeatureRepo } from '../../store/index.js'\nexport const repo = FeatureRepo\n",
    )
    expect(messages).toEqual([])
  })

  it('refuses an import against the direction from two folders down', async () => {
    const messages = await lint(
      'src/server/routes/example.ts',
      "import { printJson } from '../../cli/util.js'\nexport const print = printJson\n",
    )
    expect(messages).toEqual([
      expect.stringMatching(/^boundaries\/modules: server may not import cli: /),
    ])
  })

  it('guards core/api: it may not reach the store, even through the index', async () => {
    const messages = await lint(
      'src/core/api/example.ts',
      "export { FeatureRepo } from '../../store/index.js'\n",
    )
    expect(messages).toEqual([
      expect.stringMatching(/^boundaries\/modules: core\/api may not import store: core is pure/),
    ])
  })

  it('treats core/api as a module of its own: others, core too, go through its index', async () => {
    expect(
      await lint(
        'src/store/example.ts',
        "export { ProjectSettings } from '../core/api/settings.js'\n",
      ),
    ).toEqual([
      expect.stringMatching(/Import core\/api through its index \('\.\.\/core\/api\/index\.js'\)/),
    ])
    expect(
      await lint(
        'src/store/example.ts',
        "export { ProjectSettings } from '../core/api/index.js'\n",
      ),
    ).toEqual([])
  })

  it("lets a nested module use its parent's files, but the parent enters it through its index", async () => {
    expect(
      await lint('src/server/chat/example.ts', "export { redactPaths } from '../errors.js'\n"),
    ).toEqual([])
    expect(
      await lint('src/server/example.ts', "export { ChatSession } from './chat/session.js'\n"),
    ).toEqual([
      expect.stringMatching(/Import server\/chat through its index \('\.\/chat\/index\.js'\)/),
    ])
  })

  it('checks dynamic imports and keeps only the declared light files of the CLI start path', async () => {
    const deep = await lint(
      'src/cli/commands/example.ts',
      "export async function run() {\n  return await import('../../store/registry.js')\n}\n",
    )
    expect(deep).toEqual([expect.stringMatching(/Import store through its index/)])
    const declared = await lint(
      'src/cli/commands/example.ts',
      "export { FEATURE_STATES } from '../../core/feature-states.js'\n",
    )
    expect(declared).toEqual([])
  })

  it('keeps the scripted model out of product code: only the demo module imports it', async () => {
    const code = "export { startScriptedModel } from '../scripted-model/index.js'\n"
    expect(await lint('src/demo/example.ts', code)).toEqual([])
    for (const module of ['agents', 'orchestrator', 'tools'])
      expect(await lint(`src/${module}/example.ts`, code)).toEqual([
        expect.stringMatching(
          new RegExp(`^boundaries/modules: ${module} may not import scripted-model: `),
        ),
      ])
    expect(
      await lint(
        'src/server/chat/example.ts',
        "export { startScriptedModel } from '../../scripted-model/index.js'\n",
      ),
    ).toEqual([
      expect.stringMatching(/^boundaries\/modules: server\/chat may not import scripted-model: /),
    ])
  })

  it('lets the server reach agents only from the chats, the dev-server sandbox and the policy view', async () => {
    const code = "export { resolveProvider } from '../agents/index.js'\n"
    expect(await lint('src/server/run-manager.ts', code)).toEqual([
      expect.stringMatching(
        /^boundaries\/modules: agents may not be imported from this file of server: .*runs and run settings go through the orchestrator/,
      ),
    ])
    expect(
      await lint(
        'src/server/chat/example.ts',
        "export { wireSession } from '../../agents/index.js'\n",
      ),
    ).toEqual([])
  })

  it('refuses imports to or from a folder of src/ that is not a declared module', async () => {
    expect(
      await lint('src/server/example.ts', "export { x } from '../newmodule/index.js'\n"),
    ).toEqual([
      expect.stringMatching(/src\/newmodule is not a declared module: add it to MODULE_BOUNDARIES/),
    ])
    expect(
      await lint('src/newmodule/example.ts', "export { ok } from '../core/index.js'\n"),
    ).toEqual([expect.stringMatching(/src\/newmodule is not a declared module/)])
  })
})
