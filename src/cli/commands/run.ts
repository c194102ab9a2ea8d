import type { Command } from 'commander'

/** Registers `autocoder run` (not built yet). */
export function registerRunCommand(_program: Command): void {}
