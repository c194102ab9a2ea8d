import { Command } from 'commander'

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

const program = new Command('autocoder')
  .description('Long-running autonomous coding with parallel Claude agents')
  .showHelpAfterError('(run with --help for usage)')

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

await program.parseAsync()
