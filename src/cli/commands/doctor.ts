import type { Command } from 'commander'

/** Registers `autocoder doctor` (not built yet). */
export function registerDoctorCommand(_program: Command): void {}
