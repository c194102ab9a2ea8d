import type { Command } from 'commander'

import { OPERATOR, TOOL_ROLES } from '../../tools/tool-context.js'
import type { ToolRole } from '../../tools/index.js'
import { CliError, orFail, resolveProjectDir } from '../util.js'

/** Every role with a tool set, so a new role is offered here without another list to edit. */
const ROLES: readonly ToolRole[] = TOOL_ROLES
const DEFAULT_LEASE_MS = 10 * 60_000

interface McpOptions {
  project: string
  agentId?: string
  role?: string
  leaseMs: string
}

/**
 * Registers `autocoder mcp --project DIR [--agent-id ID] [--role ROLE]`: the feature tools as a
 * stdio MCP server for any MCP client. Without --agent-id the caller is the operator (a person: may
 * do anything); with it, calls run as that agent, with its claims and leases. Passes are marked
 * directly (no orchestrator verifies them here). Only protocol goes to stdout.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Serve the feature tools as an MCP server over stdio')
    .requiredOption('-p, --project <dir>', 'project folder or registered name')
    .option(
      '--agent-id <id>',
      'act as this agent (claims, leases, ownership); default: the operator',
    )
    .option(
      '--role <role>',
      `tool set to expose: ${ROLES.join(', ')} (default: coding with --agent-id, else operator)`,
    )
    .option(
      '--lease-ms <ms>',
      'lease of claims made through the tools, renewed on every call',
      String(DEFAULT_LEASE_MS),
    )
    .action(async (options: McpOptions) => {
      const agentId = options.agentId?.trim()
      if (agentId === OPERATOR)
        throw new CliError(`"${OPERATOR}" is reserved; omit --agent-id to act as the operator.`, 2)
      if (agentId !== undefined && !/^[\w.:-]{1,100}$/.test(agentId)) {
        throw new CliError(
          `--agent-id "${agentId}" is not valid; use letters, digits, ".", ":", "_" or "-" (at most 100).`,
          2,
        )
      }
      const role = (options.role ?? (agentId ? 'coding' : 'operator')) as ToolRole
      if (!ROLES.includes(role))
        throw new CliError(`--role "${options.role}" is not one of ${ROLES.join(', ')}.`, 2)
      const leaseMs = Number(options.leaseMs)
      if (!Number.isSafeInteger(leaseMs) || leaseMs < 1000)
        throw new CliError('--lease-ms must be a whole number of at least 1000.', 2)
      const projectDir = await resolveProjectDir(options.project)
      const { ProjectStore } = await import('../../store/index.js')
      const { serveFeatureToolsOverStdio } = await import('../../tools/index.js')
      const store = orFail(ProjectStore.open(projectDir))
      try {
        await serveFeatureToolsOverStdio({
          store,
          callerId: agentId ?? OPERATOR,
          role,
          leaseMs,
          verifyPasses: false,
        })
      } finally {
        store.close()
      }
    })
}
