import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

import { CHAT_SERVER_NAME, SESSION_ROLES, wireSession } from '../../agents/index.js'
import type {
  AgentMcpServer,
  AgentSession,
  ChatModelSetup,
  ModelRuntime,
  SessionSpec,
} from '../../agents/index.js'
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
import {
  describeQuestions,
  formatAnswers,
  shortToolName,
  shownInput,
  turnPrompt,
} from './chat-text.js'
import { createChatToolServer } from './chat-tools.js'
import type { ChatProfile } from './profiles.js'
import { systemPromptFor } from './profiles.js'
import { SpecFlow } from './spec-flow.js'
import type { ChatOutput, StartInitializer } from './spec-flow.js'
import type { ErrorCode, ServerError } from '../error-codes.js'

/** Everything one chat session needs; built by the routes for each WebSocket connection. */
export interface ChatSessionContext {
  sessionId: string
  profile: ChatProfile
  project: ProjectRef
  store: ProjectStore
  chats: ChatRepo
  runtime: ModelRuntime
  /** Resolved before every turn, so changed settings apply to the next message. */
  modelSetup: () => Result<ChatModelSetup, ServerError>
  send: (frame: ChatServerFrame) => void
  clock: Clock
  /** For redacting paths in errors. */
  homeDir: string
  /** `$AUTOCODER_HOME`, for the organisation's policy file. */
  autocoderHome?: string | undefined
  claudePath?: string | undefined
  promptsDir?: string | undefined
  startInitializer?: StartInitializer | undefined
}

/** Lease of claims made through a chat's feature tools (the chats claim nothing today). */
const CHAT_LEASE_MS = 60_000

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
  readonly #specFlow: SpecFlow
  #running: AgentSession | null = null
  #abort = new AbortController()
  #closed = false
  readonly #unsubscribe: () => void

  constructor(private readonly ctx: ChatSessionContext) {
    this.createdAt = ctx.clock.now()
    this.agentId = `chat-${ctx.profile.kind}-${ctx.sessionId}`
    const output: ChatOutput = {
      send: (frame) => this.#send(frame),
      error: (code, message) => this.#error(code, message),
      note: (text) => this.#note(text),
      redact: (message) => this.#redact(message),
    }
    this.#specFlow = new SpecFlow(ctx.project, output)
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
        if (this.#onlyIn('spec', frame.type)) this.#specFlow.confirmOverwrite(frame.accept)
        return
      case 'start_initializer':
        if (this.#onlyIn('spec', frame.type))
          void this.#specFlow.startInitializer(this.ctx.startInitializer, frame.yolo)
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

  #error(code: ErrorCode, message: string): void {
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
    return turnPrompt(earlier, content)
  }

  async #spec(
    prompt: string,
    systemPrompt: string,
    setup: ChatModelSetup,
  ): Promise<Result<SessionSpec, ServerError>> {
    const { profile, project, store } = this.ctx
    const ownServers: Record<string, AgentMcpServer> = {}
    if (SESSION_ROLES[profile.kind].ownTools.length > 0) {
      ownServers[CHAT_SERVER_NAME] = createChatToolServer(
        {
          askUser: (questions) => this.#askUser(questions),
          writeSpec: (content) => this.#specFlow.write(content),
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
      // Chats only read and ask: no Bash, no browser, so nothing to contain.
      sandbox: null,
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

  #note(text: string): void {
    if (this.conversationId !== null) this.ctx.chats.add(this.conversationId, 'system', text)
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
