import type { Command } from 'commander'

/** Registers `autocoder demo` (not built yet). */
export function registerDemoCommand(_program: Command): void {}
