import type {
  AgentSession,
  ModelRuntime,
  SessionMessage,
  SessionSpec,
} from '../../src/agents/runtime.js'
import { runAgent } from '../../src/agents/session-loop.js'
import type { Clock } from '../../src/core/clock.js'
import type { AgentAssignment, AgentLauncher } from '../../src/orchestrator/index.js'
import type { ProjectStore } from '../../src/store/index.js'

/** What a simulated agent does in one session, given its assignment. */
export type SimAct = (assignment: AgentAssignment, store: ProjectStore) => void

export interface SimLauncherOptions {
  store: ProjectStore
  clock: Clock
  /** How long a session takes (waited on the clock); default 0 (no wait). */
  durationMs?: (assignment: AgentAssignment) => number
  /** What the agent does; default `honestAgent`. */
  act?: SimAct
  /**
   * What the agent says after acting, before its usage and end (for example tool results, and
   * what it does after them); each message goes through the session loop like a real one.
   */
  after?: (
    assignment: AgentAssignment,
    store: ProjectStore,
  ) => Iterable<SessionMessage> | AsyncIterable<SessionMessage>
  costUsd?: number
  /** Called when a session starts (before its wait), to measure start overhead. */
  onStart?: (assignment: AgentAssignment) => void
  /** Session watchdog limits (long simulated sessions need long ones). */
  limits?: { idleTimeoutMs: number; sessionTimeoutMs: number; interruptGraceMs: number }
}

/**
 * The default simulated agent: a coder reports every feature it holds as passing (as
 * `feature_mark_passing` does under an orchestrator); a tester confirms every feature it holds.
 */
export const honestAgent: SimAct = (assignment, store) => {
  for (const claim of store.claims.heldBy(assignment.agentId)) {
    if (claim.kind === 'coding') store.claims.report(claim.featureId, assignment.agentId, 'passing')
    else {
      store.features.transition(claim.featureId, 'passing', {
        by: assignment.agentId,
        actor: 'tester',
        reason: 'confirmed',
        extra: 'verified',
      })
      store.claims.release(claim.featureId, assignment.agentId, 'confirmed')
    }
  }
}

/**
 * An agent launcher over the real session loop with a model runtime that only waits and acts on
 * the store: for loop tests and the makespan bench.
 */
export function simLauncher(options: SimLauncherOptions): AgentLauncher {
  const act = options.act ?? honestAgent
  return (assignment) => {
    const runtime: ModelRuntime = {
      start(spec: SessionSpec): AgentSession {
        let closed = false
        async function* play(): AsyncGenerator<SessionMessage> {
          options.onStart?.(assignment)
          const duration = options.durationMs?.(assignment) ?? 0
          if (duration > 0) {
            try {
              await options.clock.sleep(duration, spec.signal)
            } catch {
              yield end('interrupted', 0)
              return
            }
          }
          if (closed) return
          act(assignment, options.store)
          if (options.after) yield* options.after(assignment, options.store)
          const cost = options.costUsd ?? 0
          yield {
            type: 'agent.usage',
            agentId: assignment.agentId,
            featureIds: [...assignment.featureIds],
            usage: {
              inputTokens: 10,
              outputTokens: 5,
              cacheReadTokens: 0,
              cacheWriteTokens: 0,
              costUsd: cost,
            },
          }
          yield end('success', cost)
        }
        const stream = play()
        return {
          [Symbol.asyncIterator]: () => stream,
          interrupt: () => Promise.resolve(),
          close: () => {
            closed = true
          },
        }
      },
    }
    return runAgent(
      {
        agentId: assignment.agentId,
        role: assignment.role,
        featureIds: assignment.featureIds,
        model: 'sim',
        runId: assignment.runId,
        isDone: assignment.isDone,
        afterSession: assignment.afterSession,
        session: () => ({
          agentId: assignment.agentId,
          featureIds: assignment.featureIds,
          prompt: '',
          systemPrompt: '',
          model: 'sim',
          cwd: assignment.cwd,
          env: {},
          tools: [],
          mcpServers: {},
          hooks: {},
          maxTurns: 1,
        }),
      },
      {
        runtime: runtime,
        store: options.store,
        clock: options.clock,
        signal: assignment.signal,
        maxIterations: 1,
        ...options.limits,
      },
    )
  }
}

function end(status: 'success' | 'interrupted', costUsd: number): SessionMessage {
  return {
    type: 'session.end',
    status,
    failure: null,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd },
    numTurns: 1,
    durationMs: 0,
  }
}
