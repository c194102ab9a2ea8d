import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { unwrap } from '../../../src/core/index.js'
import {
  createBashPolicy,
  type BashPolicy,
  type PolicyContext,
} from '../../../src/security/index.js'

export interface CorpusRow {
  command: string
  allowed: boolean
  kind: 'ordinary' | 'adversarial'
  family: string
}

/** The corpus of test/fixtures/policy/corpus.jsonl. */
export function readCorpus(): CorpusRow[] {
  const file = join(import.meta.dirname, '..', '..', 'fixtures', 'policy', 'corpus.jsonl')
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusRow)
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

export async function corpusPolicy(): Promise<BashPolicy> {
  return unwrap(await createBashPolicy({ declaredPackages: DECLARED }))
}

/** The corpus runs as an agent in /srv/app (worktree = project) with home /home/dev; paths are lexical. */
export function corpusContext(policy: BashPolicy): PolicyContext {
  return { policy, cwd: '/srv/app', projectDir: '/srv/app', homeDir: '/home/dev' }
}
