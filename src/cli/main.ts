import { readFileSync } from 'node:fs'

import { Command, CommanderError } from 'commander'

import { registerAnswerCommand } from './commands/answer.js'
import { registerDemoCommand } from './commands/demo.js'
import { registerDoctorCommand } from './commands/doctor.js'
import { registerFeaturesCommand } from './commands/features.js'
import { registerImportCommand } from './commands/import.js'
import { registerMcpCommand } from './commands/mcp.js'
import { registerPlanCommand } from './commands/plan.js'
import { registerPolicyCommand } from './commands/policy.js'
import { registerProjectsCommand } from './commands/projects.js'
import { registerRunCommand } from './commands/run.js'
import { registerStatusCommand } from './commands/status.js'
import { registerUiCommand } from './commands/ui.js'
import { CliError } from './util.js'

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

for (const register of [
  registerProjectsCommand,
  registerFeaturesCommand,
  registerPlanCommand,
  registerImportCommand,
  registerPolicyCommand,
  registerMcpCommand,
  registerRunCommand,
  registerStatusCommand,
  registerAnswerCommand,
  registerDemoCommand,
  registerDoctorCommand,
  registerUiCommand,
]) {
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
