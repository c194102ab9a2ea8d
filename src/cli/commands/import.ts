import type { Command } from 'commander'

/** Registers `autocoder import` (not built yet). */
export function registerImportCommand(_program: Command): void {}
