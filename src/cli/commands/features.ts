import type { Command } from 'commander'

/** Registers `autocoder features` (not built yet). */
export function registerFeaturesCommand(_program: Command): void {}
