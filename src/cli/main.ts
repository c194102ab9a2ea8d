import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import type * as Commander from 'commander'

import { CliError } from './util.js'

// Work a command surely needs that can begin before anything else loads, by command and
// subcommand. The bash grammar's wasm compiles on V8's background threads (security/bash-wasm.ts)
// while the main thread loads commander and the policy's modules: `policy check` then waits for
// what is left of the compilation, not all of it. Help (`-h` before `--`) loads none of it.
async function startBashParser(): Promise<unknown> {
  ;(await import('../security/bash-wasm.js')).compileBashGrammarEarly()
  return (await import('../security/policy-check.js')).loadBashParser()
}
const EARLY_START: Readonly<Record<string, () => Promise<unknown>>> = {
  'policy check': startBashParser,
  'policy list': startBashParser,
}
const words = process.argv.slice(2)
const optionWords = words.includes('--') ? words.slice(0, words.indexOf('--')) : words
const subcommand = words.slice(0, 2).join(' ')
// A failure is reported by the command, which awaits the same load (loadBashParser loads once).
if (
  Object.hasOwn(EARLY_START, subcommand) &&
  !optionWords.some((word) => word === '-h' || word === '--help')
)
  EARLY_START[subcommand]!().catch(() => undefined)

// commander is CommonJS: require() loads it without the ESM loader's translation (a few ms).
const { Command, CommanderError } = createRequire(import.meta.url)('commander') as typeof Commander

// A reader that goes away (`autocoder features list | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

// Commands register only their names, options and help here; each loads what it needs (the store,
// the policy, the Agent SDK, the server) when it runs, so that no command pays for another's modules.
const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string }

const program = new Command('autocoder')
  .description('Long-running autonomous coding with parallel Claude agents')
  .version(version, '-v, --version', 'print the version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()

// Each command's module by its name, in the order `--help` lists them. A run of one command loads
// only that command's module; help, `help CMD` and a mistyped name load them all.
const COMMANDS: Record<string, () => Promise<(program: Commander.Command) => void>> = {
  projects: async () => (await import('./commands/projects.js')).registerProjectsCommand,
  features: async () => (await import('./commands/features.js')).registerFeaturesCommand,
  plan: async () => (await import('./commands/plan.js')).registerPlanCommand,
  import: async () => (await import('./commands/import.js')).registerImportCommand,
  policy: async () => (await import('./commands/policy.js')).registerPolicyCommand,
  mcp: async () => (await import('./commands/mcp.js')).registerMcpCommand,
  run: async () => (await import('./commands/run.js')).registerRunCommand,
  status: async () => (await import('./commands/status.js')).registerStatusCommand,
  answer: async () => (await import('./commands/answer.js')).registerAnswerCommand,
  demo: async () => (await import('./commands/demo.js')).registerDemoCommand,
  doctor: async () => (await import('./commands/doctor.js')).registerDoctorCommand,
  ui: async () => (await import('./commands/ui.js')).registerUiCommand,
}

const named = words[0]
const wanted =
  named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS)
for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) {
  register(program)
}

try {
  await program.parseAsync()
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`autocoder: ${error.message}\n`)
    process.exitCode = error.exitCode
  } else if (error instanceof CommanderError) {
    // commander already printed its message (help, version or a usage error)
    process.exitCode = error.exitCode === 0 ? 0 : 2
  } else {
    throw error
  }
}
