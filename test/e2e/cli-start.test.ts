import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { describe, expect, it } from 'vitest'

import { ProjectStore } from '../../src/store/index.js'
import { cliArgv, repoRoot } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const traceHooks = pathToFileURL(join(repoRoot, 'test', 'helpers', 'module-trace', 'register.mjs'))
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string
}

/** What the modules a command loaded are called: a package name, or a path under src without extension. */
function moduleName(url: string): string | null {
  if (!url.startsWith('file:')) return null
  const path = fileURLToPath(url)
  const packages = path.lastIndexOf(`${sep}node_modules${sep}`)
  if (packages !== -1) {
    const [scope, name] = path.slice(packages + 14).split(sep)
    return scope!.startsWith('@') ? `${scope}/${name}` : scope!
  }
  const roots = [process.env.AUTOCODER_TEST_BUILD, join(repoRoot, 'src')].filter(Boolean)
  const root = roots.find((dir) => !relative(dir!, path).startsWith('..'))
  return root
    ? relative(root, path)
        .split(sep)
        .join('/')
        .replace(/\.[jt]s$/, '')
    : path
}

/** Runs `autocoder <args>` with module tracing; returns its result and the modules it loaded. */
function traced(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  using dir = tempDir()
  const traceFile = join(dir.path, 'modules')
  writeFileSync(traceFile, '')
  const [node, ...rest] = cliArgv(...args)
  const result = spawnSync(node!, ['--import', traceHooks.href, ...rest], {
    cwd: dir.path,
    env: { ...process.env, ...options.env, AUTOCODER_TRACE_MODULES: traceFile },
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
  })
  const modules = new Set(
    readFileSync(traceFile, 'utf8')
      .split('\n')
      .map(moduleName)
      .filter((name): name is string => name !== null && name !== 'tsx'),
  )
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, modules }
}

/** Dependencies that no command may pay for unless it uses them. */
const HEAVY = [
  '@anthropic-ai/claude-agent-sdk',
  '@modelcontextprotocol/sdk',
  '@lydell/node-pty',
  '@playwright/mcp',
  'playwright-core',
  'fastify',
  'web-tree-sitter',
  'better-sqlite3',
  'yaml',
  'zod',
]

describe('autocoder start', { timeout: 120_000 }, () => {
  it('--version and -v print the package version', () => {
    for (const flag of ['--version', '-v']) {
      const result = traced([flag])
      expect(result.status).toBe(0)
      expect(result.stdout).toBe(`${version}\n`)
    }
  })

  it('--help lists every command and loads only the CLI and commander', () => {
    const result = traced(['--help'])
    expect(result.status).toBe(0)
    for (const command of ['run', 'status', 'plan', 'policy', 'features', 'ui', 'mcp', 'demo'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'))
    const outside = [...result.modules].filter(
      (name) =>
        name !== 'commander' &&
        !name.startsWith('cli/') &&
        // constants the help text shows, each a module without dependencies
        ![
          'core/feature-states',
          'tools/tool-context',
          'store/autocoder-home',
          'demo/demo-options',
        ].includes(name),
    )
    expect(outside).toEqual([])
  })

  it("a command's help loads none of the heavy dependencies either", () => {
    for (const args of [
      ['run', '--help'],
      ['policy', 'check', '--help'],
      ['demo', '--help'],
    ]) {
      const result = traced(args)
      expect(result.status).toBe(0)
      expect(result.stdout).toMatch(/^Usage: autocoder /)
      expect(HEAVY.filter((name) => result.modules.has(name))).toEqual([])
    }
  })

  it('plan --features reads a valid file without zod and loads only its own command module', () => {
    using dir = tempDir()
    const file = join(dir.path, 'features.json')
    writeFileSync(
      file,
      JSON.stringify({
        features: [{ id: 1 }, { id: 2, dependencies: [1] }, { id: 3, passes: true }],
      }),
    )
    const result = traced(['plan', '--json', '--features', file])
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ ready: [1], blocked: [2], cycles: [] })
    expect(HEAVY.filter((name) => result.modules.has(name))).toEqual([])
    expect([...result.modules].filter((name) => name.startsWith('cli/commands/'))).toEqual([
      'cli/commands/plan',
    ])
  })

  it('plan --features says what is wrong with a file that does not fit the schema', () => {
    using dir = tempDir()
    const file = join(dir.path, 'features.json')
    writeFileSync(file, JSON.stringify({ features: [{ id: 1 }, { id: 2, passes: 'yes' }] }))
    const result = traced(['plan', '--json', '--features', file])
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/features\.1\.passes/)
    expect(result.stderr).toMatch(/expected \{"features":\[\{"id","priority"/)
    expect(result.modules.has('zod')).toBe(true)
  })

  it('status --json opens the database and loads no zod, policy, SDK or server', () => {
    using project = tempDir()
    const store = ProjectStore.open(project.path)
    if (!store.ok) throw new Error(store.error.message)
    store.value.close()
    const result = traced(['status', '--json', '--project', project.path])
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ stats: { total: 0 } })
    expect(HEAVY.filter((name) => result.modules.has(name))).toEqual(['better-sqlite3'])
  })

  it('policy check without config files loads the bash grammar and nothing else heavy', () => {
    using home = tempDir()
    const result = traced(['policy', 'check', '--json', '--', 'ls -la'], {
      env: { AUTOCODER_HOME: home.path },
    })
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ allowed: true })
    expect(result.modules.has('web-tree-sitter')).toBe(true)
    const loaded = HEAVY.filter((name) => result.modules.has(name))
    expect(loaded).toEqual(['web-tree-sitter'])
  })
})
