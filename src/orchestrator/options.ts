import { hostname } from 'node:os'

import { systemClock } from '../core/index.js'
import { processAlive } from '../store/index.js'
import type { Clock } from '../core/index.js'

/** Hard limits of the run loop (DESIGN: one machine, up to ~10 agents). */
export const LIMITS = {
  concurrency: { min: 1, max: 10, default: 1 },
  testingAgents: { min: 0, max: 3, default: 0 },
  batchSize: { min: 1, max: 3, default: 3 },
  testingBatchSize: { min: 1, max: 5, default: 3 },
  maxAttempts: { min: 1, max: 100, default: 3 },
} as const

/** How a run behaves; every field has a default (see `normalizeRunSettings`). */
export interface RunSettings {
  /** Coding agents at once (1-10). */
  concurrency: number
  /** Testing agents at once (0-3). */
  testingAgents: number
  /** Features per coding agent (1-3). */
  batchSize: number
  /** Features per testing agent (1-5). */
  testingBatchSize: number
  /** Coding attempts of a feature that end without a verified pass before it goes to `needs_human`. */
  maxAttempts: number
  /** Stop (drain) when the run's spend reaches this many US dollars. */
  maxCostUsd: number | null
  /** Stop (drain) after this many hours. */
  maxHours: number | null
  /** Lease of a claim; running agents renew it every `heartbeatMs`. */
  leaseMs: number
  heartbeatMs: number
  /** Lease of the project lock (renewed with the heartbeat). */
  lockLeaseMs: number
  /**
   * With nothing to do but features waiting for a person: keep waiting for `answer` (the server)
   * instead of stopping with a report (the CLI).
   */
  waitForAnswers: boolean
}

export type RunSettingsInput = Partial<RunSettings>

const clamp = (
  value: number | undefined,
  range: { min: number; max: number; default: number },
): number => Math.min(Math.max(Math.trunc(value ?? range.default), range.min), range.max)

/** Fills defaults and clamps every number into its range. */
export function normalizeRunSettings(input: RunSettingsInput = {}): RunSettings {
  const leaseMs = Math.max(input.leaseMs ?? 5 * 60_000, 50)
  return {
    concurrency: clamp(input.concurrency, LIMITS.concurrency),
    testingAgents: clamp(input.testingAgents, LIMITS.testingAgents),
    batchSize: clamp(input.batchSize, LIMITS.batchSize),
    testingBatchSize: clamp(input.testingBatchSize, LIMITS.testingBatchSize),
    maxAttempts: clamp(input.maxAttempts, LIMITS.maxAttempts),
    maxCostUsd: input.maxCostUsd != null && input.maxCostUsd > 0 ? input.maxCostUsd : null,
    maxHours: input.maxHours != null && input.maxHours > 0 ? input.maxHours : null,
    leaseMs,
    heartbeatMs: Math.max(input.heartbeatMs ?? Math.floor(leaseMs / 3), 10),
    lockLeaseMs: Math.max(input.lockLeaseMs ?? Math.max(leaseMs, 30_000), 50),
    waitForAnswers: input.waitForAnswers ?? false,
  }
}

/** Injected sources of time, randomness and identity (tests and benches replace them). */
export interface RunEnvironment {
  clock: Clock
  random: () => number
  /** A fresh short id (letters and digits), used for run ids. */
  newId: () => string
  pid: number
  host: string
  /** Whether a lock holder on this host is still alive (default: signal 0 to its pid). */
  isAlive?: (pid: number) => boolean
}

function randomId(random: () => number): string {
  return Array.from(
    { length: 8 },
    () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)],
  ).join('')
}

/** Fills the real clock, randomness, pid and host name where none is injected. */
export function resolveEnvironment(input: Partial<RunEnvironment> = {}): RunEnvironment {
  const random = input.random ?? Math.random
  return {
    clock: input.clock ?? systemClock,
    random,
    newId: input.newId ?? (() => randomId(random)),
    pid: input.pid ?? process.pid,
    host: input.host ?? hostname(),
    isAlive: input.isAlive ?? processAlive,
  }
}
