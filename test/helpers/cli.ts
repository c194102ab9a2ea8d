import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export const repoRoot = join(import.meta.dirname, '..', '..')

/** The tsx loader by absolute path, so the CLI runs from source whatever the working directory. */
export const tsxLoader = pathToFileURL(
  join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs'),
).href

/**
 * argv that runs the CLI as built from the current sources for this test run (see
 * test/global-setup.ts), or from source through tsx when there is no such build.
 */
export function cliArgv(...args: string[]): string[] {
  const build = process.env.AUTOCODER_TEST_BUILD
  if (build) return [process.execPath, join(build, 'cli', 'main.js'), ...args]
  return [process.execPath, '--import', tsxLoader, join(repoRoot, 'src', 'cli', 'main.ts'), ...args]
}

export interface CliResult {
  status: number
  stdout: string
  stderr: string
}

/** Runs `autocoder <args>` to completion. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): CliResult {
  const [cmd, ...rest] = cliArgv(...args)
  const result = spawnSync(cmd!, rest, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** Runs `autocoder <args>` asynchronously (for commands that run a while). */
export function runCliAsync(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  const [cmd, ...rest] = cliArgv(...args)
  return new Promise((resolve) => {
    const child = spawn(cmd!, rest, {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }))
  })
}
