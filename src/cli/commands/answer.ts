import type { Command } from 'commander'

/** Registers `autocoder answer` (not built yet). */
export function registerAnswerCommand(_program: Command): void {}
