/**
 * Run by sandbox-crash.test.ts: opens a sandbox over the folder in argv[2], leaves in it a
 * background process, a server exposed on the host port argv[3], a spawned process and a running
 * shell call (each named `$MARKER-<what>`, a name in no command line), and once all four run
 * prints one JSON line with its pid and the sandbox's private folder, then waits; with argv[4]
 * `exit` it calls process.exit() instead, without close().
 */
import { execFileSync, spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { openWorkSandbox } from './helpers.js'

const [work = '', portText = '', mode = 'wait'] = process.argv.slice(2)
const marker = process.env['MARKER'] ?? 'sbx-crash'
const port = Number(portText)

/** Shell text for `marker-what` that never spells it out. */
const named = (what: string): string => {
  const cut = Math.floor(marker.length / 2)
  return `"$(printf %s%s-%s '${marker.slice(0, cut)}' '${marker.slice(cut)}' ${what})"`
}

const before = new Set(readdirSync(tmpdir()))
const sandbox = await openWorkSandbox('crash', work)
const root = readdirSync(tmpdir()).filter(
  (name) => !before.has(name) && name.startsWith(`autocoder-sandbox-${process.pid}-`),
)

const run = (command: string): Promise<unknown> =>
  new Promise((resolve) =>
    spawn('/bin/bash', ['-c', sandbox.wrapShellCommand(command, work)], {
      stdio: 'ignore',
    }).on('close', resolve),
  )

await run(
  `(exec -a ${named('bg')} sleep 600 >/dev/null 2>&1 &); (exec -a ${named('server')} python3 -m http.server ${port} --bind 127.0.0.1 >/dev/null 2>&1 &); for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && exit 0; sleep 0.1; done; exit 1`,
)
const exposed = await sandbox.exposePort(port)
if (!exposed.ok) throw new Error(exposed.error.message)
sandbox.spawn(['/bin/bash', '-c', `exec -a ${named('spawn')} sleep 600`], {
  cwd: work,
  stdio: 'ignore',
})
spawn('/bin/bash', ['-c', sandbox.wrapShellCommand(`exec -a ${named('call')} sleep 600`, work)], {
  stdio: 'ignore',
})
/** Host processes named after the marker (pgrep leaves itself out). */
const running = (): number => {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').length
  } catch {
    return 0
  }
}
while (running() < 4) await new Promise((resolve) => setTimeout(resolve, 50))
console.log(JSON.stringify({ pid: process.pid, root: root.map((name) => join(tmpdir(), name)) }))
if (mode === 'exit') process.exit(0)
setInterval(() => undefined, 60_000)
