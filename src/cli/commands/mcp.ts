import type { Command } from 'commander'

/** Registers `autocoder mcp` (not built yet). */
export function registerMcpCommand(_program: Command): void {}
