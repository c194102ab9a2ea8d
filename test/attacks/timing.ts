// Where a mode's time goes: the world's set-up, each CLI run (autocoder and Claude Code starting, the
// sessions, what the orchestrator does between them), Claude Code's time per Bash call, our own
// answers (evidence collection) and the sweep at the end. Printed as one JSON line per mode.
import { readFileSync } from 'node:fs'

import type { RecordedRequest } from '../../src/scripted-model/index.js'

/** CPU time (ms) of this process and of its waited-for descendants (the CLI runs, Claude Code, Bash). */
export function cpuNow(): { ownMs: number; childrenMs: number } {
  const own = process.cpuUsage()
  let childrenMs = 0
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 16 and 17 of stat (cutime, cstime), counted from the state field (3): indexes 13, 14.
    childrenMs = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100
  } catch {
    // Not Linux: no figure for the children.
  }
  return { ownMs: (own.user + own.system) / 1000, childrenMs }
}

/** One `autocoder run`: when it was started and when it ended (Date.now()). */
export interface CliSpan {
  readonly startedAt: number
  readonly endedAt: number
}

export interface ModeTiming {
  /** Scratch project, fake home, canaries, the autocoder server. */
  readonly worldMs: number
  /** The CLI runs, whole. */
  readonly cliMs: number
  readonly cliRuns: number
  /** Agent sessions (Claude Code conversations). */
  readonly sessions: number
  /** From a CLI run's start (or the end of the previous session) to a session's first request. */
  readonly startMs: number
  /** Between a reply of ours and the next request of that session: Claude Code, the hook, Bash. */
  readonly claudeMs: number
  /** Answering requests (the attack script and the evidence collected after each attack). */
  readonly answerMs: number
  /** Of which: evidence collection, and what it did (see EvidenceCollector.cost). */
  readonly collectMs: number
  readonly collect: Readonly<Record<string, number>>
  /** Replies that called a tool, and Claude Code's mean time per such call. */
  readonly toolCalls: number
  readonly msPerToolCall: number
  /** After a run's last session until the CLI ended (merges, checks, shutting down). */
  readonly endMs: number
  /** The sweep after the runs and the scan of every model request for secrets. */
  readonly sweepMs: number
  readonly totalMs: number
  /** CPU: this process (model, servers, evidence) and the CLI runs with everything they started. */
  readonly ownCpuMs: number
  readonly cliCpuMs: number
}

interface Conversation {
  first: number
  last: number
  requests: RecordedRequest[]
}

function conversations(requests: readonly RecordedRequest[]): Conversation[] {
  const byId = new Map<string, Conversation>()
  for (const request of requests) {
    if (request.kind !== 'messages' || request.conversationId === undefined) continue
    const end = request.finishedAt ?? request.receivedAt
    const known = byId.get(request.conversationId)
    if (known) {
      known.requests.push(request)
      known.last = Math.max(known.last, end)
    } else
      byId.set(request.conversationId, {
        first: request.receivedAt,
        last: end,
        requests: [request],
      })
  }
  return [...byId.values()].sort((a, b) => a.first - b.first)
}

/** Claude Code's time between our replies and its next requests, and our time answering. */
function turnTimes(conversation: Conversation): { claude: number; answer: number; tools: number } {
  const requests = [...conversation.requests].sort((a, b) => a.receivedAt - b.receivedAt)
  let claude = 0
  let answer = 0
  let tools = 0
  for (const [index, request] of requests.entries()) {
    answer += (request.finishedAt ?? request.receivedAt) - request.receivedAt
    const previous = requests[index - 1]
    if (previous?.finishedAt === undefined) continue
    claude += Math.max(0, request.receivedAt - previous.finishedAt)
    tools += 1
  }
  return { claude, answer, tools }
}

export function modeTiming(input: {
  readonly startedAt: number
  readonly worldReadyAt: number
  readonly runs: readonly CliSpan[]
  readonly sweptAt: number
  readonly endedAt: number
  readonly collectMs: number
  readonly collect: Readonly<Record<string, number>>
  readonly requests: readonly RecordedRequest[]
  readonly cpuAtStart: ReturnType<typeof cpuNow>
}): ModeTiming {
  const cpu = cpuNow()
  const all = conversations(input.requests)
  let startMs = 0
  let endMs = 0
  let claudeMs = 0
  let answerMs = 0
  let toolCalls = 0
  for (const run of input.runs) {
    const within = all.filter((c) => c.first >= run.startedAt && c.first <= run.endedAt)
    let previousEnd = run.startedAt
    for (const conversation of within) {
      startMs += Math.max(0, conversation.first - previousEnd)
      previousEnd = Math.max(previousEnd, conversation.last)
      const turns = turnTimes(conversation)
      claudeMs += turns.claude
      answerMs += turns.answer
      toolCalls += turns.tools
    }
    endMs += Math.max(0, run.endedAt - previousEnd)
  }
  const last = input.runs.at(-1)?.endedAt ?? input.worldReadyAt
  return {
    worldMs: input.worldReadyAt - input.startedAt,
    cliMs: input.runs.reduce((sum, run) => sum + run.endedAt - run.startedAt, 0),
    cliRuns: input.runs.length,
    sessions: all.length,
    startMs,
    claudeMs,
    answerMs,
    collectMs: Math.round(input.collectMs),
    collect: input.collect,
    toolCalls,
    msPerToolCall: toolCalls === 0 ? 0 : Math.round(claudeMs / toolCalls),
    endMs,
    sweepMs: input.sweptAt - last,
    totalMs: input.endedAt - input.startedAt,
    ownCpuMs: Math.round(cpu.ownMs - input.cpuAtStart.ownMs),
    cliCpuMs: Math.round(cpu.childrenMs - input.cpuAtStart.childrenMs),
  }
}
