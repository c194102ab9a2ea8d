import type { Command } from 'commander'

/** Registers `autocoder status` (not built yet). */
export function registerStatusCommand(_program: Command): void {}
