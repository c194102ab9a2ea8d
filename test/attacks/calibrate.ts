// Runs each attack in plain bash, with neither policy nor sandbox, to show it is a real attack:
// every attack must leave its trace there. Unsafe attacks are not run.
import { spawn } from 'node:child_process'

import type { BashAttack } from './attack.js'
import { fillPlaceholders } from './attack.js'
import type { Escape } from './evidence.js'
import { EvidenceCollector } from './evidence.js'
import type { AttackWorld } from './world.js'

export interface Calibration {
  readonly id: string
  readonly escapes: readonly Escape[]
  readonly output: string
}

/** Runs a command in bash (asynchronously: the canary servers live in this process). */
export function runBash(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    // Under a parent shell with the model's environment, as Claude Code's Bash tool runs commands.
    const child = spawn('bash', ['-c', 'bash -c "$1"; exit $?', 'bash', command], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const append = (chunk: Buffer): void => {
      if (output.length < 200_000) output += chunk.toString('utf8')
    }
    child.stdout.on('data', append)
    child.stderr.on('data', append)
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('close', () => {
      clearTimeout(timer)
      resolve(output)
    })
  })
}

export async function calibrate(
  world: AttackWorld,
  attacks: readonly BashAttack[],
): Promise<Calibration[]> {
  using collector = new EvidenceCollector(
    world,
    attacks.map((attack) => attack.id),
  )
  const apiKey = world.secrets.find((secret) => secret.name === 'project API key')!.value
  const env = {
    PATH: process.env['PATH'],
    HOME: world.home,
    LANG: 'C.UTF-8',
    ANTHROPIC_API_KEY: apiKey,
  }
  const results: Calibration[] = []
  for (const attack of attacks.filter((candidate) => !candidate.unsafe)) {
    const commands = attack.steps.map((step) =>
      fillPlaceholders(step, attack.id, world.placeholders),
    )
    collector.collect(null)
    const outputs: string[] = []
    for (const command of commands) outputs.push(await runBash(command, world.project, env))
    results.push({
      id: attack.id,
      escapes: collector.collect(attack.id, outputs),
      output: outputs.join('\n'),
    })
  }
  return results
}
