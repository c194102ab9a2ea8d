import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { parseHostPattern } from './host-allowlist.js'
import { insideEnv } from './inside-env.js'
import { createNetworkProxy } from './network-proxy.js'
import type { NetworkProxy } from './network-proxy.js'
import { makePrivateRoot } from './private-root.js'
import { seatbeltProfile } from './seatbelt-profile.js'
import type { SeatbeltProfileInput } from './seatbelt-profile.js'
import { enterCall, refusalText, shellQuote } from './spec.js'
import type { Sandbox, SandboxError, SandboxSpawnOptions, SandboxSpec } from './types.js'

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec'

function real(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/**
 * Opens a Seatbelt sandbox (macOS): every call runs under `sandbox-exec -f <profile>`; the proxy
 * listens on 127.0.0.1 (a port, since tools inside speak TCP to it). UNTESTED ON macOS: this
 * project's machines are Linux; the profile text is unit-tested. Processes share the host's pid
 * and network namespaces: `close()` ends what `spawn` started (by process group), not background
 * processes left by shell commands.
 */
export async function openSeatbelt(
  spec: SandboxSpec,
  hostPath: string | undefined,
): Promise<Result<Sandbox, SandboxError>> {
  const patterns = spec.allowedHosts.flatMap((host) => {
    const parsed = parseHostPattern(host)
    return parsed.ok ? [parsed.value] : []
  })
  const root = real(makePrivateRoot('sandbox'))
  const privateTmp = join(root, 'tmp')
  mkdirSync(join(privateTmp, 'home'), { recursive: true, mode: 0o700 })
  const proxy = createNetworkProxy({ label: spec.label, patterns })
  const listening = await proxy.listen(0)
  if (!listening.ok || listening.value === null) {
    rmSync(root, { recursive: true, force: true })
    return err('SANDBOX_START_FAILED', listening.ok ? 'no proxy port' : listening.error.message)
  }
  const env = {
    ...insideEnv(spec.env, `http://127.0.0.1:${listening.value}`, hostPath),
    HOME: join(privateTmp, 'home'),
    TMPDIR: privateTmp,
  }
  const profile: SeatbeltProfileInput = {
    writable: spec.writable.map(real),
    readOnly: spec.readOnly.map(real),
    hidden: spec.hidden.map(real),
    readable: (spec.readable ?? []).map(real),
    home: real(homedir()),
    privateTmp,
    proxyPort: listening.value,
    localPorts: [],
  }
  return ok(new SeatbeltSandbox(spec.label, root, env, profile, proxy))
}

class SeatbeltSandbox implements Sandbox {
  readonly kind = 'seatbelt' as const
  #closing: Promise<void> | null = null
  readonly #children = new Map<ChildProcess, boolean>()
  readonly #profilePath: string
  readonly #enter: string

  constructor(
    readonly label: string,
    private readonly root: string,
    private readonly env: Record<string, string>,
    private readonly profile: SeatbeltProfileInput,
    private readonly proxy: NetworkProxy,
  ) {
    this.#profilePath = join(root, 'profile.sb')
    this.#enter = join(root, 'enter')
    this.#writeProfile()
    const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`)
    const words = ['/usr/bin/env', '-i', ...assignments, SANDBOX_EXEC, '-f', this.#profilePath]
    writeFileSync(
      this.#enter,
      [
        `# autocoder sandbox: runs "$2" (printf %b text) with bash from directory "$1" under Seatbelt.`,
        // macOS ships bash 3.2: no {fd}>&- there.
        'for fd in /dev/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi; done',
        'cd -- "$1" || exit 1',
        'printf -v command %b "$2"',
        `exec ${words.map(shellQuote).join(' ')} /bin/bash -c -- "$command"`,
        '',
      ].join('\n'),
      { mode: 0o500 },
    )
  }

  #writeProfile(): void {
    writeFileSync(this.#profilePath, seatbeltProfile(this.profile), { mode: 0o400 })
  }

  wrapShellCommand(command: string, cwd: string): string {
    if (this.#closing) return refusalText(this.label, 'the sandbox is closed; start a new session.')
    return enterCall(this.label, this.#enter, command, cwd)
  }

  spawn(argv: readonly string[], options: SandboxSpawnOptions): ChildProcess {
    if (this.#closing) throw new Error(`SANDBOX_CLOSED: the sandbox ${this.label} is closed`)
    if (argv.length === 0) throw new Error('sandbox spawn needs a program')
    if (!isAbsolute(options.cwd))
      throw new Error(`sandbox spawn needs an absolute cwd, not ${options.cwd}`)
    const child = spawn(SANDBOX_EXEC, ['-f', this.#profilePath, ...argv], {
      cwd: options.cwd,
      env: { ...options.env, ...this.env },
      stdio: options.stdio ?? 'pipe',
      detached: options.detached ?? false,
    })
    this.#children.set(child, options.detached ?? false)
    child.once('close', () => this.#children.delete(child))
    return child
  }

  exposePort(port: number): Promise<Result<void, SandboxError>> {
    if (this.#closing)
      return Promise.resolve(err('SANDBOX_CLOSED', `The sandbox ${this.label} is closed.`))
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      return Promise.resolve(err('SANDBOX_PORT_FAILED', `Port ${port} is not a TCP port.`))
    // The host already reaches it; processes inside may now connect to it too.
    if (!this.profile.localPorts.includes(port)) {
      this.profile.localPorts = [...this.profile.localPorts, port]
      rmSync(this.#profilePath, { force: true })
      this.#writeProfile()
    }
    return Promise.resolve(ok(undefined))
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const [child, leader] of this.#children) {
        try {
          if (child.pid !== undefined) process.kill(leader ? -child.pid : child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      await this.proxy.close()
      rmSync(this.root, { recursive: true, force: true })
    })()
    return this.#closing
  }
}
