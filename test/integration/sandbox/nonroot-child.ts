/**
 * Run as an unprivileged user by sandbox-nonroot.test.ts: opens a sandbox over the folders named
 * in argv (JSON) and prints one JSON line with what each attack saw.
 */
import { spawn } from 'node:child_process'

import { openSandbox } from '../../../src/sandbox/index.js'

interface Input {
  project: string
  outside: string
  secretDir: string
}

const input = JSON.parse(process.argv[2] ?? '{}') as Input

function run(text: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('/bin/bash', ['-c', text], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('close', () => resolve(output))
  })
}

const opened = await openSandbox({
  label: 'nonroot',
  writable: [input.project],
  readOnly: [],
  hidden: [input.secretDir],
  allowedHosts: [],
  env: { PATH: '/usr/bin:/bin' },
})
if (!opened.ok) {
  console.log(JSON.stringify({ error: opened.error.message }))
  process.exit(0)
}
const sandbox = opened.value
const at = (command: string): Promise<string> =>
  run(sandbox.wrapShellCommand(command, input.project))
const result = {
  identity: await at('id -u; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status'),
  inside: await at('echo ok > inside.txt && cat inside.txt'),
  outside: await at(
    `echo pwned > ${input.outside}/a; for p in /proc/[0-9]*; do echo pwned > $p/cwd/../outside/b; echo pwned > $p/root${input.outside}/c; done 2>/dev/null; true`,
  ),
  secret: await at(`cat ${input.secretDir}/key; ls -A ${input.secretDir} | wc -l`),
  processes: await at('ls /proc | grep -cE "^[0-9]+$"'),
  userns: await at('unshare -r true && echo USERNS-ALLOWED || echo userns-refused'),
  loopback: await at('(echo > /dev/tcp/127.0.0.1/1) 2>&1 | head -1'),
  spawned: await new Promise<string>((resolve) => {
    const child = sandbox.spawn(['/bin/sh', '-c', 'pwd; id -u'], { cwd: input.project })
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('close', () => resolve(output))
  }),
}
await sandbox.close()
console.log(JSON.stringify(result))
