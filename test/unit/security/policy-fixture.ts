import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { z } from 'zod'

import { unwrap } from '../../../src/core/index.js'
import {
  createBashPolicy,
  type BashPolicy,
  type PolicyContext,
} from '../../../src/security/index.js'

/** The attack classes of issue 11 the policy must close (1, 11, 13 and 14 are not the policy's). */
export const ATTACK_CLASSES = [2, 3, 4, 5, 6, 7, 8, 9, 10, 12] as const

const CorpusRow = z.strictObject({
  command: z.string(),
  allowed: z.boolean(),
  kind: z.enum(['ordinary', 'adversarial']),
  family: z.string().min(1),
  /** The issue-11 attack class the row belongs to (attacks, and ordinary commands near them). */
  class: z.union(ATTACK_CLASSES.map((value) => z.literal(value))).optional(),
})
export type CorpusRow = z.infer<typeof CorpusRow>

/** The corpus of test/fixtures/policy/corpus.jsonl; a malformed row fails loudly with its line. */
export function readCorpus(): CorpusRow[] {
  const file = join(import.meta.dirname, '..', '..', 'fixtures', 'policy', 'corpus.jsonl')
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      if (line.trim() === '') return []
      const parsed = CorpusRow.safeParse(JSON.parse(line))
      if (!parsed.success)
        throw new Error(`${file}:${index + 1}: ${parsed.error.issues[0]?.message ?? 'invalid row'}`)
      return [parsed.data]
    })
}

/** Packages the corpus project declares in its package.json. */
export const DECLARED = [
  'vitest',
  'typescript',
  'tsc',
  'vite',
  'eslint',
  'prettier',
  '@playwright/test',
  'playwright',
  'tsx',
  'express',
]

/**
 * The processes the corpus sees, by id and working directory: the agent's own (in /srv/app),
 * autocoder (protected), and others it did not start (another project, the home, /).
 */
export const CORPUS_PROCESSES: Readonly<Record<number, string>> = {
  12345: '/srv/app',
  4242: '/srv/app/web',
  31337: '/srv/app',
  4000: '/srv/app',
  777: '/home/dev',
  888: '/',
  999: '/srv/other-project',
}

/** Who listens on which port: the agent's servers, autocoder (8888), a system service (22). */
export const CORPUS_PORTS: Readonly<Record<number, readonly number[]>> = {
  3000: [12345],
  5173: [4242],
  8888: [4000],
  22: [888],
  5432: [-1],
}

export async function corpusPolicy(): Promise<BashPolicy> {
  return unwrap(
    await createBashPolicy(
      { declaredPackages: DECLARED },
      {
        processDirectory: (pid) => CORPUS_PROCESSES[pid] ?? null,
        portOwners: (port) => CORPUS_PORTS[port] ?? [],
        protectedProcesses: [
          { pid: 4000, name: 'node', commandLine: 'node /opt/autocoder/bin/autocoder.js run' },
        ],
      },
    ),
  )
}

/** The corpus runs as an agent in /srv/app (worktree = project) with home /home/dev; paths are lexical. */
export function corpusContext(policy: BashPolicy): PolicyContext {
  return { policy, cwd: '/srv/app', projectDir: '/srv/app', homeDir: '/home/dev' }
}
