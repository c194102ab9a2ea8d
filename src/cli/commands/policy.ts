import { homedir } from 'node:os'
import { resolve } from 'node:path'

import type { Command } from 'commander'

import type { BashPolicy } from '../../security/index.js'
import { CliError, printJson, resolveProjectDir } from '../util.js'

interface PolicyOptions {
  project?: string
  json?: boolean
}

/** Loads the effective policy of a project (default: the current directory); exit 2 when config is broken. */
async function policyFor(
  project: string | undefined,
): Promise<{ policy: BashPolicy; projectDir: string }> {
  const projectDir = project === undefined ? resolve('.') : await resolveProjectDir(project)
  const { loadPolicy } = await import('../../security/load-policy.js')
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
    .argument('<command...>', 'the command, after -- (quote it as one argument)')
    .option(
      '-p, --project <dir>',
      'project folder or registered name (default: the current directory)',
    )
    .option('--json', 'print {"allowed":bool,"reason":string}')
    .action(async (words: string[], options: PolicyOptions) => {
      const { policy: loaded, projectDir } = await policyFor(options.project)
      const { decideBash } = await import('../../security/decide-bash.js')
      const { resolvePathOnDisk } = await import('../../security/resolve-path-fs.js')
      const decision = decideBash(words.join(' '), {
        policy: loaded,
        cwd: projectDir,
        projectDir,
        homeDir: homedir(),
        resolvePath: resolvePathOnDisk,
      })
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
