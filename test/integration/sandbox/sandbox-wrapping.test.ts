/**
 * wrapShellCommand under the conditions the Bash tool puts it in: any text (printf escapes,
 * quotes, emoji), awkward directory names, further layers of quoting (Claude Code's `eval '...'`,
 * dash), commands near the kernel's limit for one argument, stdin, exit statuses and signals,
 * many calls at once, and a stopped call whose process tree is killed from the host. The same
 * text tests run for the unsandboxed kind, which shares the encoding.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Sandbox, SandboxKind } from '../../../src/sandbox/index.js'
import { shellQuote } from '../../../src/sandbox/spec.js'
import {
  openWorkSandbox,
  runHostShell,
  runWrapped,
  scratchDir,
  skipReason,
  until,
} from './helpers.js'
import type { RunResult } from './helpers.js'

/** How Claude Code's Bash tool runs a command: in `eval '...'`, each quote as '"'"'. */
function asClaudeCodeRuns(text: string): string {
  return `eval '${text.replaceAll("'", `'"'"'`)}' < /dev/null && pwd -P >/dev/null`
}

/** Runs shell text with dash, the other shell a caller may hand the text to. */
function runDash(text: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/dash', ['-c', text], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Host pids of `pid` and all its descendants (what Claude Code kills when it stops a call). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] ?? -1) ?? []))
  return tree
}

/** Text whose pieces mean something to printf %b, to shell quoting or to UTF-8. */
const trickyText = fc.string({
  unit: fc.constantFrom(
    'a',
    ' ',
    "'",
    '"',
    '\\',
    'x27',
    '\\x41',
    '\\0',
    '\\c',
    '%b',
    '%s',
    '0',
    '$',
    '`',
    '\n',
    '\t',
    '\r',
    'é',
    '😀',
    '-',
    '!',
    '*',
    ';',
  ),
})

const KINDS: readonly { kind: SandboxKind; skip: boolean }[] = [
  { kind: 'bubblewrap', skip: skipReason !== null },
  { kind: 'unsandboxed', skip: false },
]

for (const { kind, skip } of KINDS) {
  describe.skipIf(skip)(`wrapShellCommand (${kind})`, () => {
    let root: ReturnType<typeof scratchDir>
    let work: string
    let sandbox: Sandbox

    beforeAll(async () => {
      root = scratchDir('autocoder-sbx-wrap-')
      work = join(root.path, 'work')
      mkdirSync(work)
      sandbox = await openWorkSandbox('wrapping', work, {}, { unsandboxed: kind === 'unsandboxed' })
    })
    afterAll(async () => {
      await sandbox.close()
      root[Symbol.dispose]()
    })

    it('passes printf escapes, quotes and emoji to bash exactly as written', async () => {
      await fc.assert(
        fc.asyncProperty(trickyText, async (text) => {
          const result = await runWrapped(sandbox, `printf '%s' ${shellQuote(text)}`, work)
          expect(result.stdout, result.stderr).toBe(text)
        }),
        { numRuns: 20 },
      )
    })

    it("survives Claude Code's eval quoting and dash, with no quote of the command left in it", async () => {
      const command = `printf '%s|' "it's" 'a \\x27 b' "\\\\"`
      const wrapped = sandbox.wrapShellCommand(command, work)
      expect(
        wrapped.endsWith(`'printf \\x27%s|\\x27 "it\\x27s" \\x27a \\\\x27 b\\x27 "\\\\\\\\"'`),
      ).toBe(true)
      const expected = `it's|a \\x27 b|\\|`
      expect((await runHostShell(asClaudeCodeRuns(wrapped))).stdout).toBe(expected)
      expect((await runDash(wrapped)).stdout).toBe(expected)
    })

    it('carries a command of 10,000 quotes through the Bash tool, as it carries it unwrapped', async () => {
      const command = `printf '%s' "${"'".repeat(10_000)}" | wc -c`
      const layered = asClaudeCodeRuns(sandbox.wrapShellCommand(command, work))
      // The kernel's limit for one argument is 128 KiB; quoting a plain word made this 160 KB.
      expect(layered.length).toBeLessThan(64 * 1024)
      const result = await runHostShell(layered)
      expect(result.stdout.trim(), result.stderr).toBe('10000')
    })

    it('runs from directories with any name, and names never run', async () => {
      const names = ["it's here", '$(touch ran)', '-x', 'new\nline', 'back\\slash\\x27', 'é 😀']
      for (const name of names) {
        const dir = join(work, name)
        mkdirSync(dir)
        const result = await runWrapped(sandbox, 'pwd; ls -A', dir)
        expect(result.stdout, result.stderr).toBe(`${dir}\n`)
      }
      expect(readdirSync(work).sort()).toEqual([...names].sort())
    })

    it("gives only the sandbox's environment: no caller variable, odd name or exported function", async () => {
      const caller = {
        CALLER_KEY: 'caller-key',
        LD_LIBRARY_PATH: '/nonexistent',
        'odd-name': 'caller-odd',
        'BASH_FUNC_ls%%': '() { echo hijacked; }',
      }
      const result = await runHostShell(sandbox.wrapShellCommand('env; type -t ls', work), caller)
      expect(result.stdout).not.toMatch(/caller-|hijacked|LD_LIBRARY_PATH|BASH_FUNC/)
      expect(result.stdout).toContain('HOME=')
      expect(result.stdout.trim().split('\n').at(-1)).toBe('file')
    })

    it('passes stdin, the exit status and death by a signal', async () => {
      const wrappedCat = sandbox.wrapShellCommand('tr a-z A-Z', work)
      expect((await runHostShell(`printf 'piped in' | ${wrappedCat}`)).stdout).toBe('PIPED IN')
      for (const status of [0, 1, 2, 42, 126, 255]) {
        const result = await runHostShell(
          `${sandbox.wrapShellCommand(`exit ${status}`, work)}; echo "status=$?"`,
        )
        expect(result.stdout).toBe(`status=${status}\n`)
      }
      const killed = await runHostShell(
        `${sandbox.wrapShellCommand('kill -TERM $$', work)}; echo "status=$?"`,
      )
      expect(killed.stdout).toBe('status=143\n')
    })
  })
}

describe.skipIf(skipReason !== null)('wrapShellCommand calls of one pod', () => {
  let root: ReturnType<typeof scratchDir>
  let work: string
  let sandbox: Sandbox

  beforeAll(async () => {
    root = scratchDir('autocoder-sbx-wrap-pod-')
    work = join(root.path, 'work')
    mkdirSync(work)
    sandbox = await openWorkSandbox('wrapping-pod', work)
  })
  afterAll(async () => {
    await sandbox.close()
    root[Symbol.dispose]()
  })

  it('run side by side, each with its own output, status and directory', async () => {
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => {
        const dir = join(work, `call-${i}`)
        mkdirSync(dir)
        return runWrapped(sandbox, `echo "${i} $(basename "$PWD")"; exit ${i}`, dir)
      }),
    )
    expect(results.map((r) => [r.code, r.stdout])).toEqual(
      Array.from({ length: 16 }, (_, i) => [i, `${i} call-${i}\n`]),
    )
  })

  it('end with their process tree (as the Bash tool stops a call); earlier background processes stay', async () => {
    const count = (name: string): Promise<number> =>
      runWrapped(sandbox, `pgrep -fc '^${name} ' || true`, work).then((r) =>
        Number(r.stdout.trim()),
      )
    // Named by exec -a so that no command line of the host holds the names.
    await runWrapped(sandbox, '(exec -a sbx-keeper sleep 300 >/dev/null 2>&1 &)', work)
    const call = spawn(
      '/bin/bash',
      ['-c', sandbox.wrapShellCommand('(exec -a sbx-worker sleep 300) | cat; echo never', work)],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    let stdout = ''
    call.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const closed = new Promise<void>((resolve) => call.once('close', () => resolve()))
    await until(async () => (await count('sbx-worker')) === 1)
    for (const pid of processTree(call.pid ?? -1)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await closed
    await until(async () => (await count('sbx-worker')) === 0)
    expect(stdout).toBe('')
    expect(await count('sbx-keeper')).toBe(1)
  })
})
