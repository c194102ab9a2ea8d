import type { Command } from 'commander'

/** Registers `autocoder ui` (not built yet). */
export function registerUiCommand(_program: Command): void {}
