import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

import type { DevServerEvent, DevServerStatus } from '../../core/api/index.js'
import { err, ok, systemClock } from '../../core/index.js'
import type { Clock, Result } from '../../core/index.js'
import type { Sandbox } from '../../sandbox/index.js'
import type { ProjectRef } from '../projects.js'
import { detectDevCommand } from './detect-command.js'
import { detectUrl, redactSecrets } from './detect-url.js'
import type { ServerError } from '../error-codes.js'

/** The decision of the command policy on one argv (the bash policy from src/security plugs in here). */
export interface CommandDecision {
  allowed: boolean
  reason: string
}
export type CommandChecker = (
  argv: readonly string[],
  context: { cwd: string },
) => CommandDecision | Promise<CommandDecision>

/** Opens the sandbox a project's dev server runs in (`SANDBOX_UNAVAILABLE` with the fix, ...). */
export type DevServerSandboxOpener = (project: ProjectRef) => Promise<Result<Sandbox, ServerError>>

export interface DevServerManagerOptions {
  checkCommand: CommandChecker
  /** Every dev server runs inside one of these (the launcher); closed when the server exits. */
  openSandbox: DevServerSandboxOpener
  clock?: Clock
  /** Time between SIGTERM and SIGKILL of the process group on stop. */
  stopGraceMs?: number
  /** Log lines kept per project for clients that connect later. */
  maxLogLines?: number
}

export interface DevLogLine {
  line: string
  at: number
}

interface Running {
  child: ChildProcess
  sandbox: Sandbox
  pid: number
  exited: Promise<void>
  stopping: boolean
}

type Listener = (event: DevServerEvent) => void

function idle(project: string): DevServerStatus {
  return {
    project,
    state: 'stopped',
    pid: null,
    url: null,
    command: null,
    startedAt: null,
    exitCode: null,
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

/**
 * Starts, watches and stops one dev server per project. Commands are argv run without a shell,
 * approved by the injected policy, inside a sandbox of their own (the launcher: an environment
 * free of the server's secrets, writes only in the project), in their own process group (stop
 * kills the whole group and closes the sandbox). The port of the URL it prints is exposed on the
 * host's loopback before the URL is shown. Output lines are redacted, kept and streamed.
 */
export class DevServerManager {
  readonly #statuses = new Map<string, DevServerStatus>()
  readonly #running = new Map<string, Running>()
  /** Projects between a start request and their process being up (one start at a time). */
  readonly #starting = new Set<string>()
  /** Projects whose URL's port is being exposed (once per start). */
  readonly #exposing = new Set<string>()
  readonly #logs = new Map<string, DevLogLine[]>()
  readonly #listeners = new Set<Listener>()
  readonly #clock: Clock
  readonly #grace: number
  readonly #maxLogLines: number

  constructor(private readonly options: DevServerManagerOptions) {
    this.#clock = options.clock ?? systemClock
    this.#grace = options.stopGraceMs ?? 5000
    this.#maxLogLines = options.maxLogLines ?? 500
  }

  status(project: string): DevServerStatus {
    return this.#statuses.get(project) ?? idle(project)
  }

  logs(project: string): readonly DevLogLine[] {
    return this.#logs.get(project) ?? []
  }

  /** Receives every log line and status change of every project; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Starts the project's dev server with `argv`, or the command detected from the project. */
  async start(
    project: ProjectRef,
    argv?: readonly string[],
  ): Promise<Result<DevServerStatus, ServerError>> {
    if (this.#running.has(project.name) || this.#starting.has(project.name)) {
      return err(
        'ALREADY_RUNNING',
        `The dev server of ${project.name} is already running; stop it first.`,
      )
    }
    this.#starting.add(project.name)
    try {
      return await this.#start(project, argv)
    } finally {
      this.#starting.delete(project.name)
    }
  }

  async #start(
    project: ProjectRef,
    argv: readonly string[] | undefined,
  ): Promise<Result<DevServerStatus, ServerError>> {
    let command: string[]
    if (argv !== undefined) {
      command = [...argv]
    } else {
      const detected = await detectDevCommand(project.dir)
      if (!detected.ok) return detected
      command = detected.value.argv
    }
    const decision = await this.options.checkCommand(command, { cwd: project.dir })
    if (!decision.allowed)
      return err(
        'POLICY_DENIED',
        `Dev-server command refused by the command policy: ${decision.reason}`,
      )
    return this.#spawn(project, command)
  }

  async #spawn(
    project: ProjectRef,
    command: string[],
  ): Promise<Result<DevServerStatus, ServerError>> {
    const sandbox = await this.options.openSandbox(project)
    if (!sandbox.ok) return sandbox
    const child = sandbox.value.spawn(command, {
      cwd: project.dir,
      env: { FORCE_COLOR: '0', BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    const spawned = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      child.once('spawn', () => resolve(null))
      child.once('error', (error) => resolve(error))
    })
    if (spawned !== null || child.pid === undefined) {
      await sandbox.value.close()
      return err('SPAWN_FAILED', `Could not start ${command[0] ?? ''}: ${spawned?.message ?? ''}.`)
    }
    const pid = child.pid
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
    const running: Running = { child, sandbox: sandbox.value, pid, exited, stopping: false }
    this.#running.set(project.name, running)
    this.#logs.set(project.name, [])
    this.#setStatus({
      project: project.name,
      state: 'running',
      pid,
      url: null,
      command,
      startedAt: this.#clock.now(),
      exitCode: null,
    })
    for (const stream of [child.stdout, child.stderr]) {
      if (stream)
        createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
          this.#onLine(project.name, line),
        )
    }
    child.once('close', (code, signal) => {
      this.#running.delete(project.name)
      void sandbox.value.close()
      const crashed = !running.stopping && (code !== 0 || signal !== null)
      this.#setStatus({
        ...this.status(project.name),
        state: crashed ? 'crashed' : 'stopped',
        pid: null,
        url: null,
        exitCode: code,
      })
    })
    return ok(this.status(project.name))
  }

  #onLine(project: string, raw: string): void {
    const status = this.status(project)
    if (status.url === null && status.state === 'running' && !this.#exposing.has(project)) {
      const url = detectUrl(raw)
      if (url !== null) void this.#expose(project, url)
    }
    this.#log(project, raw)
  }

  #log(project: string, raw: string): void {
    const entry = { line: redactSecrets(raw.trimEnd()), at: this.#clock.now() }
    const lines = this.#logs.get(project) ?? []
    lines.push(entry)
    if (lines.length > this.#maxLogLines) lines.splice(0, lines.length - this.#maxLogLines)
    this.#logs.set(project, lines)
    this.#emit({ type: 'dev.log', project, line: entry.line, at: entry.at })
  }

  /** Makes the server's port reachable from the host (the person's browser), then shows its URL. */
  async #expose(project: string, url: string): Promise<void> {
    const running = this.#running.get(project)
    if (!running) return
    this.#exposing.add(project)
    try {
      const parsed = new URL(url)
      const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
      const exposed = await running.sandbox.exposePort(port)
      if (this.#running.get(project) !== running) return
      if (!exposed.ok) {
        this.#log(project, `autocoder: ${exposed.error.message}`)
        return
      }
      const status = this.status(project)
      if (status.state === 'running') this.#setStatus({ ...status, url })
    } finally {
      this.#exposing.delete(project)
    }
  }

  /** Stops the project's dev server: SIGTERM to its process group, SIGKILL after the grace time. */
  async stop(project: string): Promise<Result<DevServerStatus, ServerError>> {
    const running = this.#running.get(project)
    if (!running) return err('NOT_RUNNING', `The dev server of ${project} is not running.`)
    running.stopping = true
    signalGroup(running.pid, 'SIGTERM')
    const deadline = this.#clock.now() + this.#grace
    let exited = false
    void running.exited.then(() => (exited = true))
    while (this.#clock.now() < deadline && (!exited || signalGroup(running.pid, 0))) {
      await this.#clock.sleep(50)
    }
    if (signalGroup(running.pid, 0)) signalGroup(running.pid, 'SIGKILL')
    await running.exited
    await running.sandbox.close()
    return ok(this.status(project))
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((project) => this.stop(project)))
  }

  #setStatus(status: DevServerStatus): void {
    this.#statuses.set(status.project, status)
    this.#emit({ type: 'dev.status', status, at: this.#clock.now() })
  }

  #emit(event: DevServerEvent): void {
    for (const listener of this.#listeners) listener(event)
  }
}
