import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

import { CHAT_SERVER_NAME, SESSION_ROLES, wireSession } from '../../agents/index.js'
import type { AgentMcpServer, AgentSession, ModelRuntime, SessionSpec } from '../../agents/index.js'
import type {
  ChatAttachment,
  ChatClientFrame,
  ChatQuestion,
  ChatServerFrame,
  ChatSessionInfo,
} from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { Clock, Result } from '../../core/index.js'
import type { ChatRepo, ProjectStore } from '../../store/index.js'
import { redactPaths } from '../errors.js'
import type { ProjectRef } from '../projects.js'
import { saveAttachments } from './attachments.js'
import { createChatToolServer } from './chat-tools.js'
import type { ChatProfile } from './profiles.js'
import { systemPromptFor } from './profiles.js'
import { existingSpecs, readSpec, writeSpec } from './spec-files.js'

/** How the model of a chat is reached: its id and the complete model-process environment. */
export interface ChatModelSetup {
  model: string
  env: Readonly<Record<string, string>>
}

export interface InitializerOptions {
  yolo: boolean
}

/** Everything one chat session needs; built by the routes for each WebSocket connection. */
export interface ChatSessionContext {
  sessionId: string
  profile: ChatProfile
  project: ProjectRef
  store: ProjectStore
  chats: ChatRepo
  runtime: ModelRuntime
  /** Resolved before every turn, so changed settings apply to the next message. */
  modelSetup: () => Result<ChatModelSetup>
  send: (frame: ChatServerFrame) => void
  clock: Clock
  /** For redacting paths in errors. */
  homeDir: string
  /** `$AUTOCODER_HOME`, for the organisation's policy file. */
  autocoderHome?: string | undefined
  claudePath?: string | undefined
  promptsDir?: string | undefined
  startInitializer?:
    ((project: ProjectRef, options: InitializerOptions) => Promise<Result<unknown>>) | undefined
}

/** Messages of earlier turns put into the prompt, and the characters kept of each. */
const HISTORY_MESSAGES = 40
const HISTORY_MESSAGE_CHARS = 4_000
/** Characters of a tool input shown to the client. */
const TOOL_INPUT_CHARS = 2_000
/** Lease of claims made through a chat's feature tools (the chats claim nothing today). */
const CHAT_LEASE_MS = 60_000

function shownInput(input: unknown): unknown {
  const text = JSON.stringify(input ?? null)
  return text.length <= TOOL_INPUT_CHARS ? input : { truncated: true, chars: text.length }
}

function shortToolName(tool: string): string {
  return tool.startsWith('mcp__') ? tool.split('__').slice(2).join('__') : tool
}

function describeQuestions(questions: readonly ChatQuestion[]): string {
  return questions
    .map((q) => {
      const options = q.options.map((option) => option.label).join(' | ')
      return `- ${q.question}${options ? ` (options: ${options}${q.multiSelect ? '; several allowed' : ''})` : ''}`
    })
    .join('\n')
}

/** `{question: answer}` as the user message the model reads. */
export function formatAnswers(
  answers: Readonly<Record<string, string | readonly string[]>>,
): string {
  const lines = Object.entries(answers).map(
    ([question, answer]) =>
      `- ${question}: ${typeof answer === 'string' ? answer : answer.join(', ')}`,
  )
  return `My answers to your questions:\n${lines.join('\n')}`
}

/**
 * One chat over one WebSocket (each browser tab has its own): a conversation stored in the
 * project, and one model session per turn that gets the conversation so far, exactly the chat's
 * tools, and the tool guard.
 */
export class ChatSession {
  conversationId: number | null = null
  busy = false
  featuresCreated = 0
  readonly createdAt: number
  readonly agentId: string
  #pendingDraft: string | null = null
  #running: AgentSession | null = null
  #abort = new AbortController()
  #closed = false
  readonly #unsubscribe: () => void

  constructor(private readonly ctx: ChatSessionContext) {
    this.createdAt = ctx.clock.now()
    this.agentId = `chat-${ctx.profile.kind}-${ctx.sessionId}`
    this.#unsubscribe =
      ctx.profile.kind === 'expand'
        ? ctx.store.events.subscribe((event) => {
            if (event.type === 'feature.created' && event.by === this.agentId)
              this.#featuresCreated(event.featureIds)
          })
        : () => {}
  }

  get closed(): boolean {
    return this.#closed
  }

  info(): ChatSessionInfo {
    return {
      sessionId: this.ctx.sessionId,
      kind: this.ctx.profile.kind,
      project: this.ctx.project.name,
      conversationId: this.conversationId,
      busy: this.busy,
      createdAt: this.createdAt,
      featuresCreated: this.featuresCreated,
    }
  }

  /** Ends the session: stops a running model turn and sends nothing more. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#unsubscribe()
    this.#abort.abort(new Error('chat closed'))
    this.#running?.close()
  }

  handle(frame: ChatClientFrame): void {
    if (this.#closed) return
    switch (frame.type) {
      case 'ping':
        this.#send({ type: 'pong' })
        return
      case 'start':
        this.#start(frame.conversationId ?? null)
        return
      case 'message':
        this.#userTurn(frame.content, frame.attachments ?? [])
        return
      case 'answer':
        this.#userTurn(formatAnswers(frame.answers))
        return
      case 'confirm_overwrite':
        this.#confirmOverwrite(frame.accept)
        return
      case 'start_initializer':
        void this.#startInitializer(frame.yolo)
        return
      case 'done':
        if (!this.#onlyIn('expand', frame.type)) return
        this.#send({ type: 'expansion_complete', totalAdded: this.featuresCreated })
        return
      default:
        frame satisfies never
    }
  }

  #send(frame: ChatServerFrame): void {
    if (!this.#closed) this.ctx.send(frame)
  }

  #error(code: string, message: string): void {
    this.#send({ type: 'error', code, message })
  }

  #onlyIn(kind: ChatProfile['kind'], frameType: string): boolean {
    if (this.ctx.profile.kind === kind) return true
    this.#error('INVALID_INPUT', `"${frameType}" is not used by the ${this.ctx.profile.kind} chat.`)
    return false
  }

  #start(conversationId: number | null): void {
    if (this.busy)
      return this.#error('BUSY', 'The model is still answering; wait for response_done.')
    const { chats, profile } = this.ctx
    if (conversationId !== null) {
      const conversation = chats.get(profile.kind, conversationId)
      if (!conversation)
        return this.#error(
          'NOT_FOUND',
          `No ${profile.kind} conversation ${conversationId} in this project.`,
        )
      this.conversationId = conversationId
      this.#send({ type: 'conversation', conversationId, messages: conversation.messages })
      this.#send({ type: 'response_done' })
      return
    }
    const created = chats.create(profile.kind)
    this.conversationId = created.id
    this.#send({ type: 'conversation_created', conversationId: created.id })
    if (profile.opening === null) {
      chats.add(created.id, 'assistant', profile.greeting)
      this.#send({ type: 'text', content: profile.greeting })
      this.#send({ type: 'response_done' })
      return
    }
    void this.#runTurn(profile.opening)
  }

  #userTurn(content: string, attachments: readonly ChatAttachment[] = []): void {
    if (this.busy)
      return this.#error('BUSY', 'The model is still answering; wait for response_done.')
    if (this.conversationId === null)
      return this.#error('NO_CONVERSATION', "No conversation yet: send 'start' first.")
    if (!this.ctx.chats.summary(this.ctx.profile.kind, this.conversationId)) {
      this.conversationId = null
      return this.#error(
        'NOT_FOUND',
        "The conversation was deleted: send 'start' to begin a new one.",
      )
    }
    const saved = saveAttachments(this.ctx.project.dir, attachments)
    if (!saved.ok) return this.#error(saved.error.code, saved.error.message)
    const stored = [
      content,
      ...saved.value.map((image) => `[Attached image "${image.filename}": ${image.path}]`),
    ].join('\n')
    this.ctx.chats.add(this.conversationId, 'user', stored)
    const images = saved.value.map((image) => join(this.ctx.project.dir, image.path))
    void this.#runTurn(
      stored,
      images.length > 0 ? `\n\nLook at the attached images with Read: ${images.join(', ')}` : '',
    )
  }

  /** The prompt of a turn: the conversation so far (without the new message) and the new message. */
  #prompt(content: string): string {
    const earlier = this.conversationId === null ? [] : this.ctx.chats.messages(this.conversationId)
    // The newest stored message is the one this turn answers.
    if (earlier.at(-1)?.role === 'user' && earlier.at(-1)?.content === content) earlier.pop()
    if (earlier.length === 0) return content
    const history = earlier.slice(-HISTORY_MESSAGES).map((message) => {
      const text =
        message.content.length > HISTORY_MESSAGE_CHARS
          ? `${message.content.slice(0, HISTORY_MESSAGE_CHARS)} [...]`
          : message.content
      return `[${message.role}]: ${text}`
    })
    return [
      '<conversation_so_far>',
      ...history,
      '</conversation_so_far>',
      '',
      'The next message:',
      content,
    ].join('\n')
  }

  async #spec(
    prompt: string,
    systemPrompt: string,
    setup: ChatModelSetup,
  ): Promise<Result<SessionSpec>> {
    const { profile, project, store } = this.ctx
    const ownServers: Record<string, AgentMcpServer> = {}
    if (SESSION_ROLES[profile.kind].ownTools.length > 0) {
      ownServers[CHAT_SERVER_NAME] = createChatToolServer(
        {
          askUser: (questions) => this.#askUser(questions),
          writeSpec: (content) => this.#writeSpec(content),
        },
        { writeSpec: profile.kind === 'spec' },
      )
    }
    const wiring = await wireSession({
      role: profile.kind,
      agentId: this.agentId,
      store,
      projectDir: project.dir,
      cwd: project.dir,
      env: setup.env,
      autocoderHome: this.ctx.autocoderHome,
      leaseMs: CHAT_LEASE_MS,
      verifyPasses: false,
      ownServers,
    })
    if (!wiring.ok) return wiring
    return ok({
      agentId: this.agentId,
      featureIds: [],
      prompt,
      systemPrompt,
      model: setup.model,
      cwd: project.dir,
      env: setup.env,
      tools: wiring.value.tools,
      mcpServers: wiring.value.mcpServers,
      hooks: wiring.value.hooks,
      maxTurns: profile.maxTurns,
      claudePath: this.ctx.claudePath,
      signal: this.#abort.signal,
    })
  }

  async #runTurn(content: string, promptSuffix = ''): Promise<void> {
    const conversationId = this.conversationId
    this.busy = true
    let reply = ''
    try {
      const setup = this.ctx.modelSetup()
      if (!setup.ok) return this.#error(setup.error.code, this.#redact(setup.error.message))
      const system = systemPromptFor(this.ctx.profile, this.ctx.project, this.ctx.promptsDir)
      if (!system.ok) return this.#error(system.error.code, this.#redact(system.error.message))
      const spec = await this.#spec(this.#prompt(content) + promptSuffix, system.value, setup.value)
      if (!spec.ok) return this.#error(spec.error.code, this.#redact(spec.error.message))
      const session = this.ctx.runtime.start(spec.value)
      this.#running = session
      for await (const message of session) {
        if (this.#closed) break
        // Only text, tool calls and the end reach the client; other messages are the runtime's.
        if (message.type === 'agent.text') {
          const piece = reply === '' ? message.text : `\n\n${message.text}`
          this.#send({ type: 'text', content: piece })
          reply += piece
        } else if (message.type === 'agent.tool_use') {
          if (!message.tool.startsWith(`mcp__${CHAT_SERVER_NAME}__`)) {
            this.#send({
              type: 'tool_call',
              tool: shortToolName(message.tool),
              input: shownInput(message.input),
            })
          }
        } else if (
          message.type === 'session.end' &&
          message.status === 'failed' &&
          message.failure
        ) {
          const reason = this.#redact(message.failure.message).slice(0, 300)
          this.#error(
            'MODEL_ERROR',
            `The model could not answer (${message.failure.kind}): ${reason}`,
          )
        }
      }
    } catch (cause) {
      this.#error(
        'INTERNAL',
        `The chat failed unexpectedly (${this.#redact(cause instanceof Error ? cause.message : String(cause)).slice(0, 200)}).`,
      )
    } finally {
      this.#running = null
      this.busy = false
      try {
        if (
          reply !== '' &&
          conversationId !== null &&
          this.ctx.chats.summary(this.ctx.profile.kind, conversationId)
        ) {
          this.ctx.chats.add(conversationId, 'assistant', reply)
        }
      } catch {
        this.#error('INTERNAL', 'The reply could not be saved in the conversation.')
      }
      this.#send({ type: 'response_done' })
    }
  }

  #redact(message: string): string {
    return redactPaths(message, this.ctx.homeDir)
  }

  #askUser(questions: ChatQuestion[]): void {
    if (this.conversationId !== null)
      this.ctx.chats.add(
        this.conversationId,
        'assistant',
        `Questions:\n${describeQuestions(questions)}`,
      )
    this.#send({ type: 'question', toolId: `q${randomBytes(6).toString('hex')}`, questions })
  }

  #writeSpec(content: string): 'written' | 'confirmation_asked' {
    const existing = existingSpecs(this.ctx.project.dir)
    if (existing.length > 0) {
      this.#pendingDraft = content
      this.#note(
        `The model drafted a new specification; a specification exists (${existing.join(', ')}), so the person was asked to confirm replacing it.`,
      )
      this.#send({ type: 'confirm_overwrite', files: existing })
      return 'confirmation_asked'
    }
    this.#commitSpec(content)
    return 'written'
  }

  #commitSpec(content: string): void {
    const written = writeSpec(this.ctx.project.dir, content)
    for (const path of written) this.#send({ type: 'file_written', path })
    this.#send({ type: 'spec_complete', path: written[0]! })
  }

  #note(text: string): void {
    if (this.conversationId !== null) this.ctx.chats.add(this.conversationId, 'system', text)
  }

  #confirmOverwrite(accept: boolean): void {
    if (!this.#onlyIn('spec', 'confirm_overwrite')) return
    const draft = this.#pendingDraft
    if (draft === null)
      return this.#error('NOTHING_TO_CONFIRM', 'There is no draft waiting for confirmation.')
    this.#pendingDraft = null
    if (accept) {
      this.#commitSpec(draft)
      this.#note('The person confirmed: the existing specification was replaced by the new draft.')
    } else {
      this.#note(
        'The person declined: the existing specification was kept and the draft discarded.',
      )
      this.#send({ type: 'spec_kept', path: existingSpecs(this.ctx.project.dir)[0] ?? '' })
    }
  }

  async #startInitializer(yolo: boolean): Promise<void> {
    if (!this.#onlyIn('spec', 'start_initializer')) return
    if (readSpec(this.ctx.project.dir) === null)
      return this.#error('NO_SPEC', 'Write the specification first.')
    if (!this.ctx.startInitializer)
      return this.#error(
        'NOT_AVAILABLE',
        'This server cannot start agents; run `autocoder run` in the project.',
      )
    try {
      const started = await this.ctx.startInitializer(this.ctx.project, { yolo })
      if (!started.ok) return this.#error(started.error.code, this.#redact(started.error.message))
      this.#send({ type: 'initializer_started' })
    } catch {
      this.#error('INTERNAL', 'The initializer could not be started.')
    }
  }

  #featuresCreated(ids: readonly number[]): void {
    const features = ids.flatMap((id) => {
      const feature = this.ctx.store.features.get(id)
      return feature ? [{ id: feature.id, name: feature.name, category: feature.category }] : []
    })
    this.featuresCreated += ids.length
    // Later turns see this in the conversation (each turn is a fresh model session).
    const names = features.map((feature) => `#${feature.id} ${feature.name}`).join(', ')
    this.#note(`Features created on the board: ${names}.`)
    this.#send({
      type: 'features_created',
      count: ids.length,
      total: this.featuresCreated,
      features,
    })
  }
}
