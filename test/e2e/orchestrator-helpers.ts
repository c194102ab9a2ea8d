// Spawning the orchestrator runner (real claude, scripted model) from e2e tests.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

import { ProjectStore } from '../../src/store/index.js'
import { tsxLoader } from '../helpers/cli.js'
import { createBoard, initProject } from '../integration/orchestrator/real-run.js'

const runnerPath = join(import.meta.dirname, 'orchestrator-runner.ts')

export interface Runner {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/** Starts the runner on a project; AUTOCODER_HOME is kept inside the temp project's parent. */
export function startRunner(projectDir: string, args: string[] = []): Runner {
  const home = join(projectDir, '..', 'autocoder-home')
  mkdirSync(home, { recursive: true })
  const child = spawn(process.execPath, ['--import', tsxLoader, runnerPath, projectDir, ...args], {
    env: { ...process.env, AUTOCODER_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

/** A git project with a check script and a board of `count` features (`deps(i)` per feature). */
export function makeProject(dir: string, count: number, deps: (id: number) => number[]): string {
  const projectDir = join(dir, 'project')
  mkdirSync(projectDir)
  initProject(projectDir)
  const store = ProjectStore.open(projectDir)
  if (!store.ok) throw new Error(store.error.message)
  try {
    createBoard(store.value, count, deps, (id) => `c${id}`)
  } finally {
    store.value.close()
  }
  return projectDir
}

/** Resolves when `predicate(output)` holds or the runner exits. */
export async function waitForOutput(
  runner: Runner,
  predicate: (output: string) => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exited = false
  void runner.exited.then(() => (exited = true))
  while (!predicate(runner.output()) && !exited && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
