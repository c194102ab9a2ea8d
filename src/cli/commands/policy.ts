import type { Command } from 'commander'

/** Registers `autocoder policy` (not built yet). */
export function registerPolicyCommand(_program: Command): void {}
