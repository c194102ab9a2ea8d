import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import {
  chmodSync,
  closeSync,
  mkdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'

import { err, ok } from '../core/index.js'
import type { Result } from '../core/index.js'
import { parseHostPattern } from './host-allowlist.js'
import { insideEnv } from './inside-env.js'
import { planMounts } from './mount-plan.js'
import type { PathKind } from './mount-plan.js'
import { createNetworkProxy } from './network-proxy.js'
import type { NetworkProxy, ProxyDecision } from './network-proxy.js'
import { PROXY_PORT, startPod } from './pod.js'
import type { Pod, SandboxTools } from './pod.js'
import { forwardPort } from './port-forward.js'
import type { PortForward } from './port-forward.js'
import { cleanUpAtExit, makePrivateRoot } from './private-root.js'
import { enterCall, loaderVariable, refusalText, shellQuote } from './spec.js'
import { rootOnlySecrets } from './system-secrets.js'
import type { Sandbox, SandboxError, SandboxSpawnOptions, SandboxSpec } from './types.js'

const NETWORK_DIR_INSIDE = '/run/autocoder-sandbox'
const START_TIMEOUT_MS = 10_000

/** Directories whose programs run with privileges while a call joins the pod: never writable. */
const SYSTEM_DIRS = [
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/etc',
  '/proc',
  '/dev',
  '/sys',
  '/run',
  '/boot',
]

export interface BubblewrapOptions {
  tools: SandboxTools
  hostPath?: string | undefined
  onProxyDecision?: ((decision: ProxyDecision) => void) | undefined
}

function kindOf(path: string): PathKind {
  try {
    const stat = statSync(path)
    return stat.isDirectory() ? 'dir' : 'file'
  } catch {
    return 'missing'
  }
}

function real(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

function isUnder(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`)
}

/** The writable directory that would let the sandbox change what runs with privileges, if any. */
function unsafeWritable(writable: readonly string[], tools: SandboxTools): string | undefined {
  const guarded = [
    ...SYSTEM_DIRS,
    ...(Object.values(tools) as string[]).map((tool) => dirname(real(tool))),
  ]
  return writable.find((dir) =>
    guarded.some((system) => isUnder(system, dir) || isUnder(dir, system)),
  )
}

/** Opens a bubblewrap sandbox (Linux): one pod per sandbox, every call joins it. */
export async function openBubblewrap(
  spec: SandboxSpec,
  options: BubblewrapOptions,
): Promise<Result<Sandbox, SandboxError>> {
  const { tools } = options
  const writable = spec.writable.map(real)
  const unsafe = unsafeWritable(writable, tools)
  if (unsafe !== undefined)
    return err(
      'SANDBOX_BAD_SPEC',
      `Sandbox ${spec.label}: ${unsafe} may not be writable (it holds or is inside system programs the sandbox runs with privileges); make only the project's own folders writable.`,
    )
  const patterns = spec.allowedHosts.flatMap((host) => {
    const parsed = parseHostPattern(host)
    return parsed.ok ? [parsed.value] : []
  })
  const root = makePrivateRoot('sandbox')
  chmodSync(root, 0o700)
  const paths = {
    root,
    privateTmp: join(root, 'tmp'),
    networkDir: join(root, 'net'),
    emptyFile: join(root, 'empty'),
    enter: join(root, 'enter'),
    ports: join(root, 'ports'),
  }
  for (const dir of [
    paths.privateTmp,
    join(paths.privateTmp, 'home'),
    paths.networkDir,
    paths.ports,
  ])
    mkdirSync(dir, { mode: 0o700 })
  writeFileSync(paths.emptyFile, '', { mode: 0o444 })
  const proxy = createNetworkProxy({
    label: spec.label,
    patterns,
    onDecision: options.onProxyDecision,
  })
  const listening = await proxy.listen(join(paths.networkDir, 'proxy.sock'))
  if (!listening.ok) {
    rmSync(root, { recursive: true, force: true })
    return err('SANDBOX_START_FAILED', listening.error.message)
  }
  const mountArgs = planMounts(
    {
      writable,
      readOnly: spec.readOnly.map(real),
      readable: (spec.readable ?? []).map(real),
      hidden: [...spec.hidden, ...(process.geteuid?.() === 0 ? rootOnlySecrets() : [])].map(real),
      home: real(homedir()),
      privateTmp: paths.privateTmp,
      networkDir: paths.networkDir,
      networkDirInside: NETWORK_DIR_INSIDE,
      emptyFile: paths.emptyFile,
    },
    kindOf,
  )
  const pod = await startPod({
    label: spec.label,
    tools,
    mountArgs,
    proxySocketInside: `${NETWORK_DIR_INSIDE}/proxy.sock`,
    timeoutMs: START_TIMEOUT_MS,
  })
  if (!pod.ok) {
    await proxy.close()
    rmSync(root, { recursive: true, force: true })
    return pod
  }
  const env = insideEnv(spec.env, `http://127.0.0.1:${PROXY_PORT}`, options.hostPath)
  writeFileSync(paths.enter, enterScript(spec.label, tools, pod.value, env), { mode: 0o500 })
  return ok(new BubblewrapSandbox(spec.label, tools, pod.value, env, paths, proxy))
}

/**
 * What a call runs after joining the pod: drop every capability for good (bounding set,
 * inheritable, ambient; no new privileges, so setuid programs stay powerless), die with the
 * caller, and start a new session (no TIOCSTI into the caller's terminal).
 */
function dropPrivileges(tools: SandboxTools): string[] {
  return [
    tools.setpriv,
    '--no-new-privs',
    '--bounding-set=-all',
    '--inh-caps=-all',
    '--ambient-caps=-all',
    '--pdeathsig=KILL',
    '--',
    tools.setsid,
    '--wait',
    '--',
  ]
}

/**
 * The script `wrapShellCommand` runs (with bash) with the directory and the command: it closes
 * every descriptor but stdin, stdout and stderr (an inherited one could point outside), decodes
 * the command (`printfArgument`), drops the caller's environment (it may hold keys), joins the
 * pod, enters the directory and runs bash there without capabilities, with the sandbox's
 * environment.
 */
function enterScript(
  label: string,
  tools: SandboxTools,
  pod: Pod,
  env: Record<string, string>,
): string {
  const assignments = Object.entries(env).map(([name, value]) => shellQuote(`${name}=${value}`))
  const join = [tools.nsenter, ...pod.joinArgs].map(shellQuote)
  const drop = dropPrivileges(tools).map(shellQuote)
  // exec -c: nothing of the caller's environment (it may hold keys or LD_PRELOAD, names bash
  // cannot unset, exported functions) reaches the programs that join; the sandbox's is set by the
  // first words of the command line itself (same line: parsing and line numbers stay as written),
  // which costs no program (`env -i` did, about a fifth of a call's overhead).
  const exports = shellQuote(`export ${assignments.join(' ')}; `)
  return [
    `# autocoder sandbox ${label.replace(/[^\w.@:-]/g, '_')}: runs "$2" (printf %b text) with bash from directory "$1" inside it.`,
    `[ "$#" -eq 2 ] || { echo 'usage: enter DIR COMMAND' >&2; exit 2; }`,
    // The pod's pid may have been reused if the pod died: go in only if it is still our pod.
    `[ /proc/${pod.pid}/ns/mnt -ef /proc/${process.pid}/fd/${pod.namespaceFd} ] || { echo 'autocoder sandbox: it is not running any more; start a new session.' >&2; exit 125; }`,
    'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ]; then exec {fd}>&-; fi; done',
    'printf -v command %b "$2"',
    // Outside and inside agree on every folder but hidden ones: say plainly when it is not there.
    `[ -d "$1" ] || { printf 'autocoder sandbox: the directory %s does not exist; run the command from one that does.\\n' "$1" >&2; exit 1; }`,
    // -W: the directory is entered inside, after the join (never --wd, which opens it outside).
    `exec -c ${join.join(' ')} -W "$1" -- ${drop.join(' ')} /bin/bash -c -- ${exports}"$command"`,
    '',
  ].join('\n')
}

interface SandboxPaths {
  root: string
  enter: string
  ports: string
}

class BubblewrapSandbox implements Sandbox {
  readonly kind = 'bubblewrap' as const
  #closing: Promise<void> | null = null
  /** The pod ended without close() (killed from outside): nothing may try to join it. */
  #stopped = false
  readonly #ports = new Map<number, PortForward>()
  readonly #forgetAtExit: () => void

  constructor(
    readonly label: string,
    private readonly tools: SandboxTools,
    private readonly pod: Pod,
    private readonly env: Record<string, string>,
    private readonly paths: SandboxPaths,
    private readonly proxy: NetworkProxy,
  ) {
    void pod.exited.then(() => {
      if (this.#closing) return
      this.#stopped = true
      rmSync(paths.enter, { force: true })
    })
    this.#forgetAtExit = cleanUpAtExit(() => {
      this.#killPod()
      rmSync(paths.root, { recursive: true, force: true })
    })
  }

  #killPod(): void {
    try {
      process.kill(this.pod.pid, 'SIGKILL')
    } catch {
      // already gone
    }
    this.pod.process.kill('SIGKILL')
  }

  wrapShellCommand(command: string, cwd: string): string {
    if (this.#closing) return refusalText(this.label, 'the sandbox is closed; start a new session.')
    if (this.#stopped || !this.pod.isAlive())
      return refusalText(this.label, 'it is not running any more; start a new session.')
    return enterCall(this.label, this.paths.enter, command, cwd)
  }

  spawn(argv: readonly string[], options: SandboxSpawnOptions): ChildProcess {
    if (this.#closing) throw new Error(`SANDBOX_CLOSED: the sandbox ${this.label} is closed`)
    if (this.#stopped || !this.pod.isAlive())
      throw new Error(`SANDBOX_CLOSED: the sandbox ${this.label} is not running any more`)
    if (argv.length === 0) throw new Error('sandbox spawn needs a program')
    const loader = loaderVariable(options.env ?? {})
    if (loader !== undefined)
      throw new Error(`sandbox spawn: ${loader} would reach the programs that enter the sandbox`)
    if (!isAbsolute(options.cwd))
      throw new Error(`sandbox spawn needs an absolute cwd, not ${options.cwd}`)
    const env = {
      ...options.env,
      ...this.env,
      PATH: options.env?.['PATH'] ?? this.env['PATH'] ?? '',
    }
    const { tools } = this
    // Its own pid namespace (pid 1 killed: everything it started dies) that dies with the caller.
    const args = [
      ...this.pod.joinArgs,
      '-W',
      options.cwd,
      '--',
      tools.setpriv,
      '--pdeathsig=KILL',
      '--',
      tools.unshare,
      '--pid',
      '--fork',
      '--kill-child=KILL',
      '--',
      ...dropPrivileges(tools),
      ...argv,
    ]
    return spawn(tools.nsenter, args, {
      env,
      stdio: options.stdio ?? 'pipe',
      detached: options.detached ?? false,
    })
  }

  async exposePort(port: number): Promise<Result<void, SandboxError>> {
    if (this.#closing) return err('SANDBOX_CLOSED', `The sandbox ${this.label} is closed.`)
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      return err('SANDBOX_PORT_FAILED', `Port ${port} is not a TCP port (1-65535).`)
    if (this.#ports.has(port)) return ok(undefined)
    const forward = await forwardPort({
      label: this.label,
      port,
      tools: this.tools,
      networkJoinArgs: this.pod.networkJoinArgs,
      socketPath: join(this.paths.ports, `${port}.sock`),
      timeoutMs: START_TIMEOUT_MS,
    })
    if (!forward.ok) return forward
    this.#ports.set(port, forward.value)
    return ok(undefined)
  }

  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    this.#killPod()
    await Promise.all([
      this.pod.exited,
      ...[...this.#ports.values()].map((forward) => forward.close()),
      this.proxy.close(),
    ])
    closeSync(this.pod.namespaceFd)
    // Off the event loop: a pod's private root can hold thousands of files (a session's caches).
    await rm(this.paths.root, { recursive: true, force: true })
    this.#forgetAtExit()
  }
}
