import type { Command } from 'commander'

/** Registers `autocoder projects` (not built yet). */
export function registerProjectsCommand(_program: Command): void {}
