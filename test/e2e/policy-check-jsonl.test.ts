import { homedir } from 'node:os'

import { describe, expect, it } from 'vitest'

import { decideBash, loadPolicy, resolvePathOnDisk } from '../../src/security/index.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

interface Verdict {
  allowed: boolean
  reason: string
  error?: string
}

function checkLines(projectDir: string, home: string, input: string) {
  const result = runCli(['policy', 'check', '--jsonl', '--project', projectDir], {
    env: { AUTOCODER_HOME: home },
    input,
  })
  const lines = result.stdout === '' ? [] : result.stdout.replace(/\n$/, '').split('\n')
  return { ...result, verdicts: lines.map((line) => JSON.parse(line) as Verdict) }
}

describe('autocoder policy check --jsonl', { timeout: 120_000 }, () => {
  it('answers every line in order, from one process, as the policy decides each command', async () => {
    using project = tempDir()
    using home = tempDir()
    const templates = [
      (i: number) => `ls -la dir${i}`,
      (i: number) => `sudo rm -rf /tmp/x${i}`,
      (i: number) => `cat notes${i}.txt | grep -c todo`,
      (i: number) => `bash -c "curl http://127.0.0.1:${1000 + i}"`,
      (i: number) => `npm test -- --grep case${i}`,
      (i: number) => `echo first${i}\necho "second ${i}"`,
      (i: number) => `git status && rm ../outside${i}`,
    ]
    const commands = Array.from({ length: 2_000 }, (_, i) => templates[i % templates.length]!(i))
    const result = checkLines(
      project.path,
      home.path,
      commands.map((command) => JSON.stringify(command)).join('\n'),
    )

    const policy = await loadPolicy({ projectDir: project.path, autocoderHome: home.path })
    if (!policy.ok) throw new Error(policy.error.message)
    const expected = commands.map((command) => {
      const { allowed, reason } = decideBash(command, {
        policy: policy.value,
        cwd: project.path,
        projectDir: project.path,
        homeDir: homedir(),
        resolvePath: resolvePathOnDisk,
      })
      return { allowed, reason }
    })
    expect(result.verdicts).toEqual(expected)
    expect(new Set(expected.map((verdict) => verdict.allowed))).toEqual(new Set([true, false]))
    expect(result.status).toBe(1)
  })

  it('answers a malformed line with an error line in its place and checks the rest', () => {
    using project = tempDir()
    using home = tempDir()
    const input = ['"ls"', 'ls -la', '', '42', '{"command":"ls"}', '"pwd"\r', '"sudo id"'].join(
      '\n',
    )
    const result = checkLines(project.path, home.path, `${input}\n`)
    expect(result.verdicts.map((verdict) => verdict.error ?? verdict.allowed)).toEqual([
      true,
      'MALFORMED_LINE',
      'MALFORMED_LINE',
      'MALFORMED_LINE',
      'MALFORMED_LINE',
      true,
      false,
    ])
    expect(result.verdicts[1]).toEqual({
      allowed: false,
      reason: expect.stringMatching(
        /^line 2 is not a JSON string \(invalid JSON: .*\); write each/,
      ),
      error: 'MALFORMED_LINE',
    })
    expect(result.verdicts[2]!.reason).toMatch(/^line 3 is not a JSON string \(it is empty\)/)
    expect(result.verdicts[3]!.reason).toMatch(
      /^line 4 is not a JSON string \(it is a JSON number\)/,
    )
    expect(result.verdicts[4]!.reason).toMatch(
      /^line 5 is not a JSON string \(it is a JSON object\)/,
    )
    expect(result.status).toBe(2)
  })

  it('prints nothing and exits 0 on empty input, 0 when every command is allowed', () => {
    using project = tempDir()
    using home = tempDir()
    const empty = checkLines(project.path, home.path, '')
    expect(empty).toMatchObject({ status: 0, stdout: '', verdicts: [] })
    const allowed = checkLines(project.path, home.path, '"ls"\n"git log -1"\n')
    expect(allowed.verdicts.map((verdict) => verdict.allowed)).toEqual([true, true])
    expect(allowed.status).toBe(0)
  })

  it('refuses a command after -- together with --jsonl, and no command without it', () => {
    using project = tempDir()
    const both = runCli(['policy', 'check', '--jsonl', '--project', project.path, '--', 'ls'])
    expect(both.status).toBe(2)
    expect(both.stderr).toContain('--jsonl reads the commands from standard input')
    const neither = runCli(['policy', 'check', '--project', project.path])
    expect(neither.status).toBe(2)
    expect(neither.stderr).toContain('No command given; pass it after --')
  })
})
