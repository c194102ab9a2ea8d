import { query } from '@anthropic-ai/claude-agent-sdk'
import type { Options, Query } from '@anthropic-ai/claude-agent-sdk'

import { SdkTranslator } from './translate-sdk.js'
import type { AgentSession, ModelRuntime, SessionMessage, SessionSpec } from './runtime.js'

/** How much of Claude Code's stderr a process failure quotes. */
const STDERR_TAIL_CHARS = 2000

/** The SDK options of one session; exported so tests and benches can check what is sent. */
export function sdkOptions(
  spec: SessionSpec,
  abortController: AbortController,
  onStderr: (data: string) => void = () => {},
): Options {
  return {
    abortController,
    model: spec.model,
    cwd: spec.cwd,
    env: { ...spec.env },
    tools: [...spec.tools.filter((tool) => !tool.startsWith('mcp__'))],
    allowedTools: [...spec.tools],
    mcpServers: { ...spec.mcpServers },
    hooks: spec.hooks,
    permissionMode: 'bypassPermissions',
    allowDangerouslySkipPermissions: true,
    maxTurns: spec.maxTurns,
    settingSources: [],
    systemPrompt: spec.systemPrompt,
    persistSession: false,
    ...(spec.claudePath ? { pathToClaudeCodeExecutable: spec.claudePath } : {}),
    stderr: onStderr,
  }
}

/** The model runtime over the Claude Agent SDK's `query()`: one Claude Code process per session. */
export const sdkRuntime: ModelRuntime = {
  start(spec: SessionSpec): AgentSession {
    const abortController = new AbortController()
    const onAbort = (): void => abortController.abort(spec.signal?.reason)
    if (spec.signal?.aborted) onAbort()
    else spec.signal?.addEventListener('abort', onAbort, { once: true })
    const startedAt = Date.now()
    const translator = new SdkTranslator(spec.agentId, spec.featureIds, spec.toolResultLimit)
    let interrupted = false
    let closed = false
    let stderrTail = ''
    const onStderr = (data: string): void => {
      stderrTail = (stderrTail + data).slice(-STDERR_TAIL_CHARS)
    }
    const q: Query = query({
      prompt: spec.prompt,
      options: sdkOptions(spec, abortController, onStderr),
    })

    async function* messages(): AsyncGenerator<SessionMessage> {
      let thrown: unknown
      try {
        for await (const message of q) {
          const translated = translator.translate(message)
          if (translated.length === 0) yield { type: 'session.alive' }
          else yield* translated
          // The process keeps running briefly after the result; the session is over for us.
          if (message.type === 'result') break
        }
      } catch (error) {
        // The SDK also throws after an error result it already delivered; that one is not news.
        if (!translator.hasResult) {
          const detail = stderrTail.trim()
          thrown =
            detail && error instanceof Error
              ? new Error(`${error.message} (claude said: ${detail})`, { cause: error })
              : error
        }
      } finally {
        spec.signal?.removeEventListener('abort', onAbort)
        q.close()
      }
      yield translator.end({
        thrown,
        interrupted: interrupted || closed || abortController.signal.aborted,
        startedAt,
      })
    }

    const stream = messages()
    return {
      [Symbol.asyncIterator]: () => stream,
      interrupt: async () => {
        interrupted = true
        try {
          await q.interrupt()
        } catch {
          // Interrupting a session that already ended (or never started) has nothing left to stop.
        }
      },
      close: () => {
        closed = true
        abortController.abort(new Error('session closed'))
        q.close()
      },
    }
  },
}
