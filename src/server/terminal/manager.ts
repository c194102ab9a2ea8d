import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'

import pty from '@lydell/node-pty'
import type { IPty } from '@lydell/node-pty'

import type { TerminalInfo } from '../../core/api/index.js'
import { err, ok, systemClock } from '../../core/index.js'
import type { Clock, Result } from '../../core/index.js'
import { safeChildEnv } from '../child-env.js'
import type { ProjectRef } from '../projects.js'
import type { ServerError } from '../error-codes.js'

/** Receives a session's output; one per attached WebSocket. */
export interface TerminalSink {
  output(data: string): void
  exit(code: number): void
}

/** A WebSocket's handle on a session. */
export interface TerminalAttachment {
  /** Starts the shell at this size on first call; resizes afterwards. */
  resize(cols: number, rows: number): void
  /** Writes to the shell; fails before the first resize. */
  write(data: string): Result<void, ServerError>
  detach(): void
}

export interface TerminalManagerOptions {
  clock?: Clock
  /** Base environment before secrets are stripped (default: process.env). */
  env?: NodeJS.ProcessEnv
  /** Shell to run (default: $SHELL if it exists, else /bin/bash, else /bin/sh). */
  shell?: string
  shellArgs?: string[]
}

interface Session {
  info: Omit<TerminalInfo, 'running'>
  project: ProjectRef
  pty: IPty | null
  sinks: Set<TerminalSink>
}

const clamp = (value: number, min: number, max: number): number =>
  Math.min(Math.max(Math.trunc(value), min), max)

/** 128 random bits: terminal ids are capabilities, so they must not be guessable. */
export function newTerminalId(): string {
  return randomBytes(16).toString('base64url')
}

/**
 * PTY sessions per project, several tabs each. A shell starts on the first resize (so it gets the
 * client's size), runs in the project folder with an environment free of the server's secrets,
 * and stops when its last WebSocket detaches or its tab is deleted.
 */
export class TerminalManager {
  readonly #sessions = new Map<string, Map<string, Session>>()
  readonly #clock: Clock

  constructor(private readonly options: TerminalManagerOptions = {}) {
    this.#clock = options.clock ?? systemClock
  }

  list(project: string): TerminalInfo[] {
    return [...(this.#sessions.get(project)?.values() ?? [])].map((session) => this.#info(session))
  }

  create(project: ProjectRef, name?: string): TerminalInfo {
    const sessions = this.#sessions.get(project.name) ?? new Map<string, Session>()
    this.#sessions.set(project.name, sessions)
    const numbers = [...sessions.values()]
      .map((s) => /^Terminal (\d+)$/.exec(s.info.name)?.[1])
      .map(Number)
      .filter(Number.isFinite)
    const id = newTerminalId()
    const session: Session = {
      info: {
        id,
        name: name ?? `Terminal ${Math.max(0, ...numbers) + 1}`,
        createdAt: this.#clock.now(),
      },
      project,
      pty: null,
      sinks: new Set(),
    }
    sessions.set(id, session)
    return this.#info(session)
  }

  rename(project: string, id: string, name: string): Result<TerminalInfo, ServerError> {
    const session = this.#find(project, id)
    if (!session) return notFound()
    session.info = { ...session.info, name }
    return ok(this.#info(session))
  }

  delete(project: string, id: string): Result<void, ServerError> {
    const session = this.#find(project, id)
    if (!session) return notFound()
    this.#stop(session)
    this.#sessions.get(project)?.delete(id)
    return ok(undefined)
  }

  attach(project: string, id: string, sink: TerminalSink): Result<TerminalAttachment, ServerError> {
    const session = this.#find(project, id)
    if (!session) return notFound()
    session.sinks.add(sink)
    return ok({
      resize: (cols, rows) => this.#resize(session, clamp(cols, 10, 500), clamp(rows, 5, 200)),
      write: (data) => {
        if (!session.pty) return err('NOT_RUNNING', 'Terminal not ready: send a resize first.')
        session.pty.write(data)
        return ok(undefined)
      },
      detach: () => {
        session.sinks.delete(sink)
        if (session.sinks.size === 0) this.#stop(session)
      },
    })
  }

  closeAll(): void {
    for (const sessions of this.#sessions.values())
      for (const session of sessions.values()) this.#stop(session)
    this.#sessions.clear()
  }

  #resize(session: Session, cols: number, rows: number): void {
    if (session.pty) {
      session.pty.resize(cols, rows)
      return
    }
    const shell = this.#shell()
    const child = pty.spawn(shell, this.options.shellArgs ?? [], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: session.project.dir,
      env: safeChildEnv(this.options.env ?? process.env, {
        TERM: 'xterm-256color',
        COLORTERM: 'truecolor',
      }),
    })
    session.pty = child
    child.onData((data) => {
      for (const sink of session.sinks) sink.output(data)
    })
    child.onExit(({ exitCode }) => {
      if (session.pty === child) session.pty = null
      for (const sink of session.sinks) sink.exit(exitCode)
    })
  }

  #stop(session: Session): void {
    const child = session.pty
    session.pty = null
    if (!child) return
    try {
      child.kill('SIGHUP')
    } catch {
      // already gone
    }
  }

  #shell(): string {
    if (this.options.shell) return this.options.shell
    const fromEnv = (this.options.env ?? process.env).SHELL
    if (fromEnv && existsSync(fromEnv)) return fromEnv
    return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh'
  }

  #find(project: string, id: string): Session | undefined {
    return this.#sessions.get(project)?.get(id)
  }

  #info(session: Session): TerminalInfo {
    return { ...session.info, running: session.pty !== null }
  }
}

function notFound(): { ok: false; error: { code: 'TERMINAL_NOT_FOUND'; message: string } } {
  return err(
    'TERMINAL_NOT_FOUND',
    'No such terminal in this project; list the terminals and use one of their ids.',
  )
}
