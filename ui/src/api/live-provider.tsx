import type { ProjectServerFrame } from '@core/api/index.js'
import type { QueryClient } from '@tanstack/react-query'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { createContext, useContext, useEffect, useState } from 'react'

import { keys } from './keys.js'
import type { LiveState } from './live-state.js'
import { applyFrames, fromSnapshot } from './live-state.js'
import type { SocketStatus } from './project-socket.js'
import { ProjectSocket } from './project-socket.js'

const SocketContext = createContext<ProjectSocket | null>(null)

/**
 * Refreshes queries that events made stale, at most every `delayMs`, and never while the same
 * query is still loading (a stream of events must not cancel every fetch before it lands).
 */
export class Invalidator {
  #pending = new Map<string, readonly unknown[]>()
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly client: QueryClient,
    private readonly delayMs = 250,
  ) {}

  add(key: readonly unknown[]): void {
    this.#pending.set(JSON.stringify(key), key)
    this.#timer ??= setTimeout(() => this.#flush(), this.delayMs)
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#pending.clear()
  }

  #flush(): void {
    this.#timer = null
    for (const [id, key] of this.#pending) {
      if (this.client.isFetching({ queryKey: key }) > 0) continue
      this.#pending.delete(id)
      void this.client.invalidateQueries({ queryKey: key })
    }
    if (this.#pending.size > 0) this.#timer = setTimeout(() => this.#flush(), this.delayMs)
  }
}

/** Applies frames to the cached live state; returns the queries the events made stale. */
export function applyToCache(
  client: QueryClient,
  project: string,
  frames: readonly ProjectServerFrame[],
): Array<readonly unknown[]> {
  const before = client.getQueryData<LiveState>(keys.live(project))
  let next: LiveState | undefined = before
  if (next === undefined) {
    const first = frames.findIndex((frame) => frame.type === 'snapshot')
    if (first === -1) return []
    const snapshot = frames[first] as Extract<ProjectServerFrame, { type: 'snapshot' }>
    next = applyFrames(fromSnapshot(snapshot), frames.slice(first + 1))
  } else next = applyFrames(next, frames)
  if (next === before) return []
  client.setQueryData(keys.live(project), next)
  if (before === undefined) return []
  const stale: Array<readonly unknown[]> = []
  if (
    next.structureVersion !== before.structureVersion ||
    next.sessionVersion !== before.sessionVersion
  )
    stale.push(keys.features(project))
  if (next.runVersion !== before.runVersion) stale.push(keys.run(project))
  const touched = new Set<number>()
  let usage = false
  for (const frame of frames) {
    if (frame.type !== 'event') continue
    const event = frame.event
    if (event.type === 'agent.usage') usage = true
    if ('featureId' in event) touched.add(event.featureId)
    if ('featureIds' in event) for (const id of event.featureIds) touched.add(id)
  }
  // Only features someone looks at have queries to refresh.
  if (touched.size > 0)
    for (const query of client.getQueryCache().findAll({ queryKey: keys.featureAll(project) })) {
      const id = query.queryKey[3]
      if (typeof id === 'number' && touched.has(id)) stale.push(keys.feature(project, id))
    }
  // Sessions carry each agent's tokens and cost as the server counts them.
  if (usage || next.sessionVersion !== before.sessionVersion) stale.push(keys.sessions(project))
  return stale
}

/**
 * Keeps one project socket open while a project's screens are shown; its events update the
 * query cache. Leaving the project closes it for good.
 */
export function ProjectLiveProvider({
  project,
  children,
}: {
  project: string
  children: ReactNode
}) {
  const client = useQueryClient()
  const [socket, setSocket] = useState<ProjectSocket | null>(null)
  useEffect(() => {
    const invalidator = new Invalidator(client)
    const created = new ProjectSocket({
      project,
      lastEventId: () => client.getQueryData<LiveState>(keys.live(project))?.lastEventId ?? null,
      onFrames: (frames) => {
        for (const key of applyToCache(client, project, frames)) invalidator.add(key)
      },
      onStatus: (status) => client.setQueryData(keys.connection(project), status),
    })
    setSocket(created)
    client.setQueryData(keys.connection(project), created.status)
    return () => {
      created.close()
      invalidator.dispose()
      // A later visit starts from a fresh snapshot.
      client.removeQueries({ queryKey: keys.live(project) })
    }
  }, [client, project])
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>
}

const never = (): Promise<never> => new Promise(() => undefined)

/**
 * A slice of the live state: the component re-renders only when the slice changes (compared
 * deeply), not on every event.
 */
export function useLiveSelect<T>(project: string, select: (live: LiveState) => T): T | undefined {
  return useQuery({
    queryKey: keys.live(project),
    queryFn: never,
    enabled: false,
    staleTime: Infinity,
    gcTime: Infinity,
    select,
  }).data
}

/** The live state of a project (undefined until the first snapshot). */
export function useLive(project: string): LiveState | undefined {
  return useQuery({
    queryKey: keys.live(project),
    queryFn: never,
    enabled: false,
    staleTime: Infinity,
    gcTime: Infinity,
  }).data
}

/** Connection state of the project socket, and a way to reconnect at once. */
export function useConnection(project: string): {
  status: SocketStatus | undefined
  retry: () => void
} {
  const socket = useContext(SocketContext)
  const status = useQuery({
    queryKey: keys.connection(project),
    queryFn: never,
    enabled: false,
    staleTime: Infinity,
  }).data as SocketStatus | undefined
  return { status, retry: () => socket?.retry() }
}
