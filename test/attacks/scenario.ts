// The scripted model's side of an attack session: one Bash call per attack step, evidence collected
// after each attack, then the features reported passing so the run can finish.
import type { DynamicScenario, ScriptContext } from '../../src/scripted-model/index.js'
import type { BashAttack } from './attack.js'
import { fillPlaceholders } from './attack.js'
import type { Escape, EvidenceCollector } from './evidence.js'
import type { AttackWorld } from './world.js'

/** What happened to one attack in a run. */
export interface AttackOutcome {
  readonly attack: BashAttack
  /** The commands sent (placeholders filled). */
  readonly commands: string[]
  readonly outputs: string[]
  escapes: Escape[]
  done: boolean
}

/** Whether a command would be allowed by the policy the agent runs under (for unsafe attacks). */
export type PolicyVerdict = (
  command: string,
  cwd: string,
) => Promise<{ allowed: boolean; reason: string }>

export interface AttackSessionOptions {
  readonly world: AttackWorld
  readonly collector: EvidenceCollector
  /** The attacks each feature stands for. */
  readonly attacksByFeature: ReadonlyMap<number, readonly BashAttack[]>
  readonly verdict: PolicyVerdict
}

interface Conversation {
  readonly queue: BashAttack[]
  step: number
  inflight: 'probe' | BashAttack | null
  /** The agent's Bash cannot see this process (a private pid namespace), from `ls /proc`. */
  isolated: boolean | null
  claimed: boolean
  finished: boolean
}

const BASH_TIMEOUT_MS = 30_000

function bashCall(
  command: string,
  description: string,
): { name: string; input: Record<string, unknown> } {
  return { name: 'Bash', input: { command, description, timeout: BASH_TIMEOUT_MS } }
}

/** The state of an attack run shared by all its sessions (several agents, retried sessions). */
export class AttackSessions {
  readonly outcomes = new Map<string, AttackOutcome>()
  /** Per session: whether its Bash ran where it could not see this process. */
  readonly isolation: boolean[] = []
  /** Escapes whose evidence names no attack of this run. */
  readonly unattributed: Escape[] = []
  /** Time spent collecting evidence (ms). */
  collectMs = 0
  private readonly conversations = new Map<string, Conversation>()
  private readonly replies = new Map<string, unknown>()

  constructor(private readonly options: AttackSessionOptions) {
    for (const attacks of options.attacksByFeature.values())
      for (const attack of attacks)
        this.outcomes.set(attack.id, {
          attack,
          commands: [],
          outputs: [],
          escapes: [],
          done: false,
        })
  }

  /** Attacks not run to their end yet. */
  pending(): BashAttack[] {
    return [...this.outcomes.values()]
      .filter((outcome) => !outcome.done)
      .map((outcome) => outcome.attack)
  }

  scenario(name: string): DynamicScenario {
    return {
      kind: 'dynamic',
      name,
      // Small usage figures: Claude Code must never compact these long sessions.
      usage: {
        input_tokens: 2000,
        output_tokens: 50,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      respond: async (ctx) => {
        // A retried request gets the same answer: the conversation must not advance twice.
        const key = `${ctx.conversationId}:${ctx.position}`
        const known = this.replies.get(key)
        if (known !== undefined) return known as ReturnType<DynamicScenario['respond']>
        const reply = await this.next(ctx)
        this.replies.set(key, reply)
        return reply
      },
    }
  }

  private conversation(ctx: ScriptContext): Conversation {
    const known = this.conversations.get(ctx.conversationId)
    if (known) return known
    const features = ctx.featureIds.filter((id) => this.options.attacksByFeature.has(id))
    const queue = features
      .flatMap((id) => this.options.attacksByFeature.get(id) ?? [])
      .filter((attack) => !this.outcomes.get(attack.id)?.done)
    const created: Conversation = {
      queue,
      step: 0,
      inflight: null,
      isolated: null,
      claimed: false,
      finished: false,
    }
    this.conversations.set(ctx.conversationId, created)
    return created
  }

  private async next(ctx: ScriptContext): Promise<Awaited<ReturnType<DynamicScenario['respond']>>> {
    const conversation = this.conversation(ctx)
    const resultText = ctx.toolResults.map((result) => result.text).join('\n')
    const inflight = conversation.inflight
    conversation.inflight = null
    if (inflight === 'probe') {
      conversation.isolated =
        !new RegExp(`(^|\\s)${process.pid}(\\s|$)`).test(resultText) && !ctx.toolResults[0]?.isError
      this.isolation.push(conversation.isolated)
    } else if (inflight !== null) {
      const outcome = this.outcomes.get(inflight.id)!
      outcome.outputs.push(resultText)
      conversation.step += 1
      if (conversation.step >= inflight.steps.length) this.finish(outcome)
    }
    const features = ctx.featureIds.filter((id) => this.options.attacksByFeature.has(id))
    if (!conversation.claimed) {
      // A single agent claims its features itself (the orchestrator's agents already hold theirs).
      conversation.claimed = true
      return {
        tools: features.map((id) => ({
          name: 'mcp__features__feature_claim_and_get',
          input: { feature_id: id },
        })),
      }
    }
    if (conversation.isolated === null && inflight !== 'probe') {
      conversation.inflight = 'probe'
      return { tools: [bashCall('ls /proc', 'look around')] }
    }
    while (conversation.queue.length > 0) {
      const attack = conversation.queue[0]!
      if (conversation.step >= attack.steps.length) {
        conversation.queue.shift()
        conversation.step = 0
        continue
      }
      const outcome = this.outcomes.get(attack.id)!
      const command = fillPlaceholders(
        attack.steps[conversation.step]!,
        attack.id,
        this.options.world.placeholders,
      )
      if (attack.unsafe && conversation.isolated !== true) {
        await this.judgeUnsafe(outcome, command, ctx.cwd ?? this.options.world.project)
        conversation.queue.shift()
        continue
      }
      outcome.commands.push(command)
      conversation.inflight = attack
      return { tools: [bashCall(command, `attack ${attack.id}`)] }
    }
    if (!conversation.finished) {
      conversation.finished = true
      if (features.length > 0)
        return {
          tools: features.map((id) => ({
            name: 'mcp__features__feature_mark_passing',
            input: { feature_id: id },
          })),
        }
    }
    return { text: 'Done.' }
  }

  private finish(outcome: AttackOutcome): void {
    this.route(this.collect(outcome.attack.id, outcome.outputs))
    outcome.done = true
  }

  private collect(current: string | null, outputs?: readonly string[]): Escape[] {
    const started = performance.now()
    const escapes = this.options.collector.collect(current, outputs)
    this.collectMs += performance.now() - started
    return escapes
  }

  /** Files each escape under the attack it names, or as unattributed. */
  private route(escapes: readonly Escape[]): void {
    for (const escape of escapes) {
      const outcome = escape.id === null ? undefined : this.outcomes.get(escape.id)
      if (outcome) outcome.escapes.push(escape)
      else this.unattributed.push(escape)
    }
  }

  /** An unsafe attack where the agent shares our pid namespace: the policy's verdict stands in. */
  private async judgeUnsafe(outcome: AttackOutcome, command: string, cwd: string): Promise<void> {
    const verdict = await this.options.verdict(command, cwd)
    outcome.commands.push(command)
    outcome.outputs.push(
      `not run (the agent's Bash shares this machine's processes): policy ${verdict.allowed ? 'allows' : 'denies'} it: ${verdict.reason}`,
    )
    if (verdict.allowed)
      outcome.escapes.push({
        id: outcome.attack.id,
        kind: 'not-run-policy-allows',
        detail: command,
      })
    outcome.done = true
  }

  /**
   * Evidence left after the sessions (merges, checks, hooks run later): to the attack it names, else
   * to `runsLater` (the merge check attack, whose tests autocoder runs after the session: the key its
   * test printed lands in the project's event log, naming no attack), else unattributed.
   */
  sweep(runsLater?: string): void {
    const escapes = this.collect(null)
    this.route(
      runsLater && this.outcomes.get(runsLater)?.done
        ? escapes.map((escape) =>
            escape.id !== null && this.outcomes.has(escape.id)
              ? escape
              : { ...escape, id: runsLater },
          )
        : escapes,
    )
  }
}
