import { once } from 'node:events'
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'

import type { Command } from 'commander'

import type { BashPolicy } from '../../security/index.js'
import { CliError, printJson, resolveProjectDir } from '../util.js'

interface PolicyOptions {
  project?: string
  json?: boolean
  jsonl?: boolean
}

interface Verdict {
  allowed: boolean
  reason: string
  /** Only on the answer to a line that is not a JSON string. */
  error?: 'MALFORMED_LINE'
}

const JSONL_HELP = `
With --jsonl, standard input holds one command per line, each a JSON string:
  "npm test"
  "git status && ls -la"
Each input line gets one output line, in order: {"allowed":bool,"reason":string}. A line that
is not a JSON string gets {"allowed":false,"reason":"...","error":"MALFORMED_LINE"} and the
lines after it are still checked. Exit code: 0 when every command is allowed, 1 when one is
denied, 2 when a line is malformed.`

/** The command on one `--jsonl` line, or why the line is not one. */
function commandOnLine(line: string, number: number): string | Verdict {
  let problem: string
  if (line.trim() === '') problem = 'it is empty'
  else {
    try {
      const value: unknown = JSON.parse(line)
      if (typeof value === 'string') return value
      problem = `it is a JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`
    } catch (cause) {
      problem = `invalid JSON: ${(cause as Error).message}`
    }
  }
  return {
    allowed: false,
    reason: `line ${number} is not a JSON string (${problem}); write each command as one JSON string per line, for example "ls -la".`,
    error: 'MALFORMED_LINE',
  }
}

/** `policy check --jsonl`: one verdict line per stdin line, in order; returns the exit code. */
async function checkLines(decide: (command: string) => Verdict): Promise<number> {
  let number = 0
  let code = 0
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    number++
    const command = commandOnLine(line, number)
    const verdict = typeof command === 'string' ? decide(command) : command
    code = Math.max(code, verdict.error ? 2 : verdict.allowed ? 0 : 1)
    if (!process.stdout.write(`${JSON.stringify(verdict)}\n`)) await once(process.stdout, 'drain')
  }
  return code
}

/** Loads the effective policy of a project (default: the current directory); exit 2 when config is broken. */
async function policyFor(
  project: string | undefined,
): Promise<{ policy: BashPolicy; projectDir: string }> {
  const projectDir = project === undefined ? resolve('.') : await resolveProjectDir(project)
  const { loadPolicy } = await import('../../security/policy-check.js')
  const { autocoderHome } = await import('../../store/autocoder-home.js')
  const policy = await loadPolicy({ projectDir, autocoderHome: autocoderHome() })
  if (!policy.ok) throw new CliError(policy.error.message, 2)
  return { policy: policy.value, projectDir }
}

/** Registers `autocoder policy check` and `autocoder policy list`. */
export function registerPolicyCommand(program: Command): void {
  const policy = program
    .command('policy')
    .description('Check commands against the bash policy and show the allowlist')

  policy
    .command('check')
    .description('Decide whether an agent may run a command: exit 0 when allowed, 1 when denied')
    .argument('[command...]', 'the command, after -- (quote it as one argument)')
    .option(
      '-p, --project <dir>',
      'project folder or registered name (default: the current directory)',
    )
    .option('--json', 'print {"allowed":bool,"reason":string}')
    .option('--jsonl', 'check many commands: JSON strings on stdin, one per line (see below)')
    .addHelpText('after', JSONL_HELP)
    .action(async (words: string[], options: PolicyOptions) => {
      if (Boolean(options.jsonl) === words.length > 0)
        throw new CliError(
          options.jsonl
            ? '--jsonl reads the commands from standard input; pass no command after --.'
            : 'No command given; pass it after -- (policy check -- "npm test"), or use --jsonl.',
          2,
        )
      const { policy: loaded, projectDir } = await policyFor(options.project)
      const { decideBash, resolvePathOnDisk } = await import('../../security/policy-check.js')
      const decide = (command: string): Verdict => {
        const { allowed, reason } = decideBash(command, {
          policy: loaded,
          cwd: projectDir,
          projectDir,
          homeDir: homedir(),
          resolvePath: resolvePathOnDisk,
        })
        return { allowed, reason }
      }
      if (options.jsonl) {
        process.exitCode = await checkLines(decide)
        return
      }
      const decision = decide(words.join(' '))
      if (options.json) printJson({ allowed: decision.allowed, reason: decision.reason })
      else process.stdout.write(`${decision.allowed ? 'ALLOWED' : 'DENIED'}: ${decision.reason}\n`)
      process.exitCode = decision.allowed ? 0 : 1
    })

  policy
    .command('list')
    .description('Print the effective allowlist and where each entry came from')
    .option(
      '-p, --project <dir>',
      'project folder or registered name (default: the current directory)',
    )
    .option('--json', 'print the lists as JSON')
    .action(async (options: PolicyOptions) => {
      const { rules } = (await policyFor(options.project)).policy
      const allowed = [...rules.allowed]
        .map(([name, source]) => ({ name, source }))
        .sort((a, b) => a.name.localeCompare(b.name))
      const lists = {
        allowed,
        blocked: [...rules.blocked].sort(),
        pkillProcesses: [...rules.pkillProcesses].sort(),
        npxPackages: [...rules.npxPackages].sort(),
      }
      if (options.json) return printJson(lists)
      const width = Math.max(...allowed.map((entry) => entry.name.length))
      const lines = [
        'Allowed commands:',
        ...allowed.map((entry) => `  ${entry.name.padEnd(width)}  ${entry.source}`),
        `Blocked (never run): ${lists.blocked.join(', ')}`,
        `pkill may target: ${lists.pkillProcesses.join(', ')}`,
        `npx/npm exec/pnpm dlx may run: ${lists.npxPackages.join(', ') || '(nothing declared)'}`,
      ]
      process.stdout.write(`${lines.join('\n')}\n`)
    })
}
