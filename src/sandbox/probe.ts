import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { DEFAULT_TOOL_PATH, findSandboxTools, installHint } from './find-tools.js'
import { openSandbox } from './open-sandbox.js'
import { SANDBOX_EXEC } from './seatbelt.js'
import type { Sandbox, SandboxProbe, SandboxProbeCheck } from './types.js'

const SECRET = 'autocoder-probe-secret-7f3a'

interface Listener {
  server: Server
  port: number
  hits: number
}

async function listen(reply: string): Promise<Listener> {
  const listener: Listener = { server: createServer(), port: 0, hits: 0 }
  listener.server.on('request', (_request, response) => {
    listener.hits++
    response.end(reply)
  })
  await new Promise<void>((resolve) => listener.server.listen(0, '127.0.0.1', resolve))
  const address = listener.server.address()
  listener.port = typeof address === 'object' && address !== null ? address.port : 0
  return listener
}

function runInside(sandbox: Sandbox, cwd: string, script: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', sandbox.wrapShellCommand(script, cwd)], {
      env: {},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('close', () => {
      clearTimeout(timer)
      resolve(output)
    })
    child.on('error', (error) => resolve(error.message))
  })
}

/** An HTTP request through the sandbox's proxy ($HTTP_PROXY) with bash's /dev/tcp (no curl needed). */
function viaProxy(url: string): string {
  return `p=\${HTTP_PROXY#http://}; exec 3<>/dev/tcp/\${p%:*}/\${p##*:} && printf 'GET ${url} HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3`
}

/**
 * Really starts a sandbox and attacks it a little: a write outside must fail, a hidden file must
 * read empty, the proxy must reach an allowed host (a loopback server listed as host:port) and
 * refuse another, and the host's loopback must be unreachable directly. For `autocoder doctor`
 * and the gate that refuses unattended runs without a sandbox.
 */
export async function probeSandbox(options: { searchPath?: string } = {}): Promise<SandboxProbe> {
  const searchPath = options.searchPath ?? `${DEFAULT_TOOL_PATH}:${process.env['PATH'] ?? ''}`
  const kind = process.platform === 'darwin' ? 'seatbelt' : 'bubblewrap'
  if (process.platform !== 'linux' && process.platform !== 'darwin')
    return {
      ok: false,
      kind: 'unsandboxed',
      checks: [{ name: 'platform', ok: false, detail: `no sandbox for ${process.platform}` }],
      missing: [],
      fix: 'run autocoder on Linux (bubblewrap) or macOS (Seatbelt)',
    }
  const tools =
    kind === 'bubblewrap'
      ? findSandboxTools(searchPath)
      : existsSync(SANDBOX_EXEC)
        ? ({ ok: true } as const)
        : ({ ok: false, missing: ['sandbox-exec'] } as const)
  if (!tools.ok)
    return {
      ok: false,
      kind,
      checks: [{ name: 'tools', ok: false, detail: `missing: ${tools.missing.join(', ')}` }],
      missing: tools.missing,
      fix: kind === 'bubblewrap' ? installHint(tools.missing) : 'macOS without sandbox-exec',
    }
  // Not under /tmp: the sandbox has its own /tmp, and the outside canary must be visible inside.
  const base = existsSync('/var/tmp') ? '/var/tmp' : tmpdir()
  const root = mkdtempSync(join(base, 'autocoder-probe-'))
  const [allowed, other] = await Promise.all([listen('probe-allowed-ok'), listen('probe-other')])
  try {
    return await attack(root, allowed, other, searchPath, kind)
  } finally {
    await Promise.all([allowed, other].map((l) => new Promise((r) => l.server.close(r))))
    rmSync(root, { recursive: true, force: true })
  }
}

/** What the attacks aim at: the running sandbox, its folders and the two loopback servers. */
interface ProbeTarget {
  readonly sandbox: Sandbox
  readonly work: string
  readonly outside: string
  readonly secretDir: string
  readonly allowed: Listener
  readonly other: Listener
}

/** One named attack: a script run inside, judged once every attack has run. */
interface ProbeAttack {
  readonly name: string
  readonly script: (target: ProbeTarget) => string
  /** Judged after all scripts ran: the servers count the hits of every attack. */
  readonly judge: (output: string, target: ProbeTarget) => Omit<SandboxProbeCheck, 'name'>
}

const ATTACKS: readonly ProbeAttack[] = [
  {
    name: 'filesystem',
    script: ({ outside }) =>
      `ls -d ${outside} && echo x > ${outside}/canary; echo y > inside && echo wrote-inside`,
    judge: (output, { outside }) => {
      const outsideEmpty = readdirSync(outside).length === 0
      const wroteInside = output.includes('wrote-inside')
      return {
        ok: outsideEmpty && wroteInside,
        detail: outsideEmpty
          ? wroteInside
            ? 'writes outside fail, writes in the worktree work'
            : `a write in the worktree failed: ${output.trim()}`
          : 'a write outside the worktree got through',
      }
    },
  },
  {
    name: 'hidden',
    script: ({ secretDir }) => `cat ${secretDir}/key 2>/dev/null; echo "[$(ls -A ${secretDir})]"`,
    judge: (output) => ({
      ok: !output.includes(SECRET) && output.includes('[]'),
      detail: output.includes(SECRET) ? 'a hidden file was readable' : 'hidden paths are empty',
    }),
  },
  {
    name: 'proxy-allowed',
    script: ({ allowed }) => viaProxy(`http://127.0.0.1:${allowed.port}/`),
    judge: (output) => ({
      ok: output.includes('probe-allowed-ok'),
      detail: output.includes('probe-allowed-ok')
        ? 'an allowed host is reachable through the proxy'
        : `an allowed host was not reachable: ${output.trim().slice(0, 200)}`,
    }),
  },
  {
    name: 'proxy-refused',
    script: ({ other }) => viaProxy(`http://127.0.0.1:${other.port}/`),
    judge: (output, { other }) => ({
      ok: output.includes('403') && other.hits === 0,
      detail: other.hits === 0 ? 'other hosts are refused' : 'a host not allowed was reached',
    }),
  },
  {
    name: 'host-loopback',
    script: ({ other }) =>
      `exec 3<>/dev/tcp/127.0.0.1/${other.port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3`,
    judge: (output, { other }) => ({
      ok: !output.includes('probe-other') && other.hits === 0,
      detail:
        other.hits === 0 ? "the host's loopback is unreachable" : "the host's loopback was reached",
    }),
  },
]

async function attack(
  root: string,
  allowed: Listener,
  other: Listener,
  searchPath: string,
  kind: 'bubblewrap' | 'seatbelt',
): Promise<SandboxProbe> {
  const work = join(root, 'work')
  const outside = join(root, 'outside')
  const secretDir = join(root, 'secret')
  for (const dir of [work, outside, secretDir]) mkdirSync(dir)
  writeFileSync(join(secretDir, 'key'), SECRET)
  const opened = await openSandbox(
    {
      label: 'probe',
      writable: [work],
      readOnly: [],
      hidden: [secretDir],
      allowedHosts: [`127.0.0.1:${allowed.port}`],
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    },
    { searchPath },
  )
  if (!opened.ok)
    return {
      ok: false,
      kind,
      checks: [{ name: 'start', ok: false, detail: opened.error.message }],
      missing: [],
      fix: 'see the start error above; unprivileged user namespaces must be allowed for bwrap (sysctl kernel.unprivileged_userns_clone=1 or run as root)',
    }
  const target: ProbeTarget = { sandbox: opened.value, work, outside, secretDir, allowed, other }
  const checks: SandboxProbeCheck[] = [{ name: 'start', ok: true, detail: `${kind} started` }]
  try {
    const outputs: string[] = []
    for (const { script } of ATTACKS)
      outputs.push(await runInside(target.sandbox, work, script(target)))
    ATTACKS.forEach(({ name, judge }, i) =>
      checks.push({ name, ...judge(outputs[i] ?? '', target) }),
    )
  } finally {
    await target.sandbox.close()
  }
  const ok = checks.every((check) => check.ok)
  return {
    ok,
    kind,
    checks,
    missing: [],
    fix: ok ? null : 'the sandbox does not contain processes here; report the failed checks',
  }
}
