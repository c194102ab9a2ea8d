import type { Command } from 'commander'

/** Registers `autocoder plan` (not built yet). */
export function registerPlanCommand(_program: Command): void {}
