// The three chats with the real claude binary against the scripted model: structured questions and
// the spec written only with consent, features created through the feature tools and counted, a
// read-only assistant, one session per tab, conversations over REST, sessions closed at shutdown.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'

import type { Conversation, ConversationSummary } from '../../../src/core/api/index.js'
import { err, ok } from '../../../src/core/index.js'
import type { Result } from '../../../src/core/index.js'
import { startScriptedModel } from '../../../src/scripted-model/index.js'
import type {
  DynamicScenario,
  ScriptContext,
  ScriptedModel,
} from '../../../src/scripted-model/index.js'
import { registerChatRoutes } from '../../../src/server/chat/index.js'
import { startServer } from '../../../src/server/index.js'
import type { ProjectRef, RunningServer, ServerError } from '../../../src/server/index.js'
import { ProjectStore } from '../../../src/store/index.js'
import { FakeRuntime } from '../../fakes/fake-runtime.js'
import { authHeaders } from '../../helpers/server-auth.js'
import { tempDir } from '../../helpers/tmp.js'
import { ChatClient } from './chat-client.js'

const SPEC_V1 =
  '<project_specification>\n  <project_name>Todo</project_name>\n  <overview>A quick todo list.</overview>\n</project_specification>'
const SPEC_V2 =
  '<project_specification>\n  <project_name>Todo 2</project_name>\n  <overview>A detailed todo list.</overview>\n</project_specification>'

/** Tool results the assistant model saw, for checking who refused what. */
const assistantResults: string[] = []

/** The newest message of a turn's prompt (the chat puts earlier ones in <conversation_so_far>). */
function newest(ctx: ScriptContext): string {
  const at = ctx.promptText.lastIndexOf('The next message:')
  return at === -1 ? ctx.promptText : ctx.promptText.slice(at)
}

const chatModel: DynamicScenario = {
  kind: 'dynamic',
  name: 'chats',
  respond: (ctx) => {
    const message = newest(ctx)
    if (ctx.systemText.includes('SPEC CREATION')) {
      if (ctx.position > 0)
        return {
          text: ctx.toolResults[0]?.text.includes('already exists') ? 'Please confirm.' : 'Done.',
        }
      if (message.includes('Begin the spec creation')) {
        return {
          text: 'Hi! Let us plan your app.',
          tools: [
            {
              name: 'mcp__chat__ask_user',
              input: {
                questions: [
                  {
                    question: 'Quick or detailed spec?',
                    options: [{ label: 'Quick' }, { label: 'Detailed' }],
                  },
                ],
              },
            },
          ],
        }
      }
      if (message.includes('Quick or detailed spec?: Quick'))
        return { tools: [{ name: 'mcp__chat__write_app_spec', input: { content: SPEC_V1 } }] }
      if (message.includes('rewrite'))
        return { tools: [{ name: 'mcp__chat__write_app_spec', input: { content: SPEC_V2 } }] }
      return { text: `unexpected spec message: ${message.slice(-200)}` }
    }
    if (ctx.systemText.includes('EXPAND PROJECT')) {
      const image = /Look at the attached images with Read: (\S+)/.exec(message)?.[1]
      if (image !== undefined && ctx.position === 0)
        return { tools: [{ name: 'Read', input: { file_path: image } }] }
      if (image !== undefined)
        return { text: `image read: ${ctx.toolResults[0]?.isError ? 'no' : 'yes'}` }
      if (message.includes('Begin:')) return { text: 'What would you like to add?' }
      if (ctx.position === 0 && message.includes('three')) {
        const feature = (name: string) => ({
          category: 'functional',
          name,
          description: `${name}.`,
          steps: [`Check ${name}`],
        })
        return {
          tools: [
            {
              name: 'mcp__features__feature_create_bulk',
              input: { features: [feature('Tags'), feature('Due dates'), feature('Search')] },
            },
          ],
        }
      }
      return { text: `Created: ${ctx.toolResults[0]?.text ?? 'nothing'}` }
    }
    if (ctx.systemText.includes('PROJECT ASSISTANT')) {
      const cwd = ctx.cwd ?? '/nonexistent'
      if (message.includes('fail please')) {
        // Claude Code retries this 400 (twice here): fail every attempt.
        const fault = {
          fault: 'error' as const,
          status: 400,
          errorType: 'invalid_request_error',
          shouldRetry: false,
          message: `bad request at ${cwd}/secret`,
        }
        return [...Array.from({ length: 11 }, () => fault), { text: 'unreachable' }]
      }
      if (ctx.position === 0)
        return { tools: [{ name: 'Read', input: { file_path: join(cwd, 'README.md') } }] }
      if (ctx.position === 1) {
        return {
          text: `The readme: ${ctx.toolResults[0]?.text.includes('Todo app readme') ? 'found' : 'missing'}`,
          tools: [
            { name: 'Write', input: { file_path: join(cwd, 'hacked.txt'), content: 'x' } },
            { name: 'Read', input: { file_path: join(cwd, '..', 'outside.txt') } },
          ],
        }
      }
      assistantResults.push(...ctx.toolResults.map((result) => result.text))
      return {
        text: `errors: ${ctx.toolResults.map((result) => (result.isError ? 'refused' : 'ran')).join(',')}`,
      }
    }
    return { text: 'unknown chat' }
  },
}

describe('chats', () => {
  let model: ScriptedModel
  let server: RunningServer
  let dir: ReturnType<typeof tempDir>
  let projectDir: string
  const initializerCalls: Array<{ project: string; yolo: boolean }> = []
  const clients: ChatClient[] = []

  const projects = (name: string): Result<ProjectRef, ServerError> =>
    name === 'app' ? ok({ name, dir: projectDir }) : err('PROJECT_NOT_FOUND', `No project ${name}.`)
  const ws = async (kind: string, project = 'app'): Promise<ChatClient> => {
    const client = await ChatClient.open(
      `${server.url.replace('http', 'ws')}/api/${kind}/ws/${project}`,
      authHeaders(server),
    )
    clients.push(client)
    await client.until((c) => c.frames.length > 0 || c.closeCode !== null)
    return client
  }
  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${server.url}${path}`, { headers: authHeaders(server) })
    return {
      status: response.status,
      body: (response.status === 204 ? undefined : await response.json()) as T,
    }
  }

  beforeAll(async () => {
    dir = tempDir('chat-')
    projectDir = join(realpathSync(dir.path), 'app')
    mkdirSync(projectDir)
    writeFileSync(join(projectDir, 'README.md'), 'Todo app readme\n')
    writeFileSync(join(dir.path, 'outside.txt'), 'secret outside the project\n')
    model = await startScriptedModel({ scenarios: [chatModel], defaultScenario: 'chats' })
    server = await startServer({
      port: 0,
      validateResponses: true,
      configure: (s) => {
        registerChatRoutes(s, {
          projects,
          env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...model.env },
          startInitializer: (project, options) => {
            initializerCalls.push({ project: project.name, yolo: options.yolo })
            return Promise.resolve(ok(undefined))
          },
        })
      },
    })
  })

  afterAll(async () => {
    for (const client of clients) client.close()
    await server.close()
    await model.close()
    dir[Symbol.dispose]()
  })

  it('spec chat asks a structured question, writes the spec from the answer, and asks before replacing it', async () => {
    const chat = await ws('spec')
    expect(chat.frames[0]).toMatchObject({ type: 'session', kind: 'spec' })

    await chat.turn({ type: 'start' })
    expect(chat.of('conversation_created')).toHaveLength(1)
    expect(chat.text()).toContain('Hi! Let us plan your app.')
    const [question] = chat.of('question')
    expect(question?.questions[0]).toMatchObject({
      question: 'Quick or detailed spec?',
      options: [{ label: 'Quick' }, { label: 'Detailed' }],
    })

    await chat.turn({
      type: 'answer',
      answers: { 'Quick or detailed spec?': 'Quick' },
      toolId: question!.toolId,
    })
    const specFile = join(projectDir, '.autocoder', 'prompts', 'app_spec.txt')
    expect(chat.of('spec_complete')).toEqual([
      { type: 'spec_complete', path: '.autocoder/prompts/app_spec.txt' },
    ])
    expect(readFileSync(specFile, 'utf8')).toBe(`${SPEC_V1}\n`)
    expect(existsSync(join(projectDir, 'CLAUDE.md'))).toBe(false)

    // A second spec while one exists: nothing is written until the client confirms.
    await chat.turn({ type: 'message', content: 'Please rewrite it in detail.' })
    expect(chat.of('confirm_overwrite')).toEqual([
      { type: 'confirm_overwrite', files: ['.autocoder/prompts/app_spec.txt'] },
    ])
    expect(readFileSync(specFile, 'utf8')).toBe(`${SPEC_V1}\n`)
    chat.send({ type: 'confirm_overwrite', accept: false })
    await chat.until((c) => c.of('spec_kept').length === 1)
    expect(readFileSync(specFile, 'utf8')).toBe(`${SPEC_V1}\n`)

    await chat.turn({ type: 'message', content: 'Please rewrite it once more.' })
    expect(chat.of('confirm_overwrite')).toHaveLength(2)
    chat.send({ type: 'confirm_overwrite', accept: true })
    await chat.until((c) => c.of('spec_complete').length === 2)
    expect(readFileSync(specFile, 'utf8')).toBe(`${SPEC_V2}\n`)

    chat.send({ type: 'start_initializer', yolo: true })
    await chat.until((c) => c.of('initializer_started').length === 1)
    expect(initializerCalls).toEqual([{ project: 'app', yolo: true }])
    expect(chat.of('error')).toEqual([])

    const status = await get<{ exists: boolean; path: string }>('/api/spec/status/app')
    expect(status.body).toMatchObject({ exists: true, path: '.autocoder/prompts/app_spec.txt' })
  }, 120_000)

  it('expand chat creates features through the feature tools and reports them as features_created', async () => {
    const chat = await ws('expand')
    await chat.turn({ type: 'start' })
    expect(chat.text()).toContain('What would you like to add?')
    const from = await chat.turn({
      type: 'message',
      content: 'Add three features: tags, due dates, search.',
    })
    expect(chat.of('tool_call')).toEqual([
      expect.objectContaining({ type: 'tool_call', tool: 'feature_create_bulk' }),
    ])
    const created = chat.of('features_created')
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({
      count: 3,
      total: 3,
      features: [{ name: 'Tags' }, { name: 'Due dates' }, { name: 'Search' }],
    })
    expect(chat.text(from)).toContain('"created":3')

    // Images: checked by their bytes, saved inside the project, looked at with Read.
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
    const attachment = { filename: 'mockup.png', mimeType: 'image/png', base64Data: png }
    chat.send({
      type: 'message',
      content: 'Fake',
      attachments: [{ ...attachment, mimeType: 'image/jpeg' }],
    })
    await chat.until((c) => c.of('error').length === 1)
    expect(chat.of('error')[0]).toMatchObject({ code: 'INVALID_ATTACHMENT' })
    const imageTurn = await chat.turn({
      type: 'message',
      content: 'Here is a mockup.',
      attachments: [attachment],
    })
    expect(chat.text(imageTurn)).toContain('image read: yes')
    const attachments = join(projectDir, '.autocoder', 'chat-attachments')
    expect(
      readdirSync(attachments).map((name) =>
        readFileSync(join(attachments, name)).toString('base64'),
      ),
    ).toEqual([png])

    chat.send({ type: 'done' })
    await chat.until((c) => c.of('expansion_complete').length === 1)
    expect(chat.of('expansion_complete')[0]).toEqual({ type: 'expansion_complete', totalAdded: 3 })
    const store = ProjectStore.open(projectDir)
    if (!store.ok) throw new Error(store.error.message)
    expect(store.value.features.list().map((feature) => feature.name)).toEqual([
      'Tags',
      'Due dates',
      'Search',
    ])
    store.value.close()
  }, 60_000)

  it('assistant answers with Read, cannot write or read outside the project, and keeps the conversation', async () => {
    const chat = await ws('assistant')
    await chat.turn({ type: 'start' })
    const [created] = chat.of('conversation_created')
    expect(chat.text()).toContain('project assistant')

    const from = await chat.turn({ type: 'message', content: 'What does the readme say?' })
    expect(chat.text(from)).toContain('The readme: found')
    expect(chat.text(from)).toContain('errors: refused,refused')
    expect(chat.of('tool_call').map((call) => call.tool)).toEqual(['Read', 'Write', 'Read'])
    expect(existsSync(join(projectDir, 'hacked.txt'))).toBe(false)
    expect(assistantResults.join('\n')).toMatch(/outside the directories it may read/)
    expect(assistantResults.join('\n')).not.toContain('secret outside the project')

    // A failed model request is an error frame without paths; the conversation goes on.
    const failed = await chat.turn({ type: 'message', content: 'fail please' })
    const [failure] = chat.of('error')
    expect(failure).toMatchObject({ code: 'MODEL_ERROR' })
    expect(failure!.message).not.toContain(projectDir)
    expect(chat.frames.slice(failed).at(-1)).toEqual({ type: 'response_done' })
    const offered = model.requests
      .filter((request) => JSON.stringify(request.body).includes('PROJECT ASSISTANT'))
      .at(-1)!.body as { tools: Array<{ name: string }> }
    expect(offered.tools.map((tool) => tool.name).sort()).toEqual(
      [
        'Glob',
        'Grep',
        'Read',
        ...['stats', 'summary', 'by_id', 'ready', 'blocked', 'graph', 'notes'].map(
          (name) => `mcp__features__feature_get_${name}`,
        ),
      ].sort(),
    )

    const list = await get<ConversationSummary[]>('/api/assistant/conversations/app')
    expect(list.status).toBe(200)
    expect(list.body[0]).toMatchObject({
      id: created!.conversationId,
      kind: 'assistant',
      title: 'What does the readme say?',
      messageCount: 4,
    })
    const one = await get<Conversation>(
      `/api/assistant/conversations/app/${created!.conversationId}`,
    )
    expect(one.body.messages.map((message) => message.role)).toEqual([
      'assistant',
      'user',
      'assistant',
      'user',
    ])
    expect(one.body.messages[2]!.content).toContain('The readme: found')

    // Resuming in a new tab replays the stored messages.
    const again = await ws('assistant')
    await again.turn({ type: 'start', conversationId: created!.conversationId })
    expect(again.of('conversation')[0]?.messages).toHaveLength(4)

    const removed = await fetch(
      `${server.url}/api/assistant/conversations/app/${created!.conversationId}`,
      { method: 'DELETE', headers: authHeaders(server) },
    )
    expect(removed.status).toBe(204)
    expect((await get(`/api/assistant/conversations/app/${created!.conversationId}`)).status).toBe(
      404,
    )
    expect((await get(`/api/assistant/conversations/app/${created!.conversationId}`)).status).toBe(
      404,
    )
    expect(
      (
        await fetch(`${server.url}/api/assistant/conversations/app/${created!.conversationId}`, {
          method: 'DELETE',
          headers: authHeaders(server),
        })
      ).status,
    ).toBe(404)
    expect((await get('/api/assistant/conversations/app/abc')).status).toBe(400)
    expect((await get('/api/spec/conversations/app')).body).toHaveLength(1)
  }, 60_000)

  it('gives each tab its own session and answers malformed frames with error frames', async () => {
    const first = await ws('assistant')
    const second = await ws('assistant')
    const [a] = first.of('session')
    const [b] = second.of('session')
    expect(a!.sessionId).not.toBe(b!.sessionId)
    await first.turn({ type: 'start' })
    await second.turn({ type: 'start' })
    expect(first.of('conversation_created')[0]!.conversationId).not.toBe(
      second.of('conversation_created')[0]!.conversationId,
    )
    const live = await get<Array<{ sessionId: string }>>('/api/assistant/sessions/app')
    expect(live.body.map((session) => session.sessionId)).toEqual(
      expect.arrayContaining([a!.sessionId, b!.sessionId]),
    )

    for (const bad of [
      'not json',
      { type: 'message', content: '' },
      { type: 'shout' },
      { type: 'start', conversationId: 'x' },
    ]) {
      const errors = first.of('error').length
      first.send(bad)
      await first.until((c) => c.of('error').length > errors)
    }
    expect(
      first
        .of('error')
        .every((frame) => frame.code === 'INVALID_INPUT' && !frame.message.includes(projectDir)),
    ).toBe(true)

    const closed = await fetch(`${server.url}/api/assistant/sessions/app/${a!.sessionId}`, {
      method: 'DELETE',
      headers: authHeaders(server),
    })
    expect(closed.status).toBe(204)
    await first.until((c) => c.closeCode !== null)
    const after = await get<Array<{ sessionId: string }>>('/api/assistant/sessions/app')
    expect(after.body.map((session) => session.sessionId)).not.toContain(a!.sessionId)
    expect(after.body.map((session) => session.sessionId)).toContain(b!.sessionId)
  })

  it('refuses an unknown project and a socket from another origin', async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/spec/ws/app`, {
        origin: 'http://evil.test',
        headers: authHeaders(server),
      })
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      socket.on('open', () => resolve(101))
      socket.on('error', () => {})
    })
    expect(status).toBe(403)

    const unknown = await ws('assistant', 'nope')
    await unknown.until((c) => c.closeCode !== null)
    expect(unknown.closeCode).toBe(4004)
    expect(unknown.of('error')[0]).toMatchObject({ code: 'PROJECT_NOT_FOUND' })
    expect((await get('/api/assistant/conversations/nope')).status).toBe(404)
  })
})

describe('chat shutdown', () => {
  it('closes every chat session when the server closes', async () => {
    using dir = tempDir('chat-close-')
    const projectDir = realpathSync(dir.path)
    const server = await startServer({
      port: 0,
      configure: (s) => {
        registerChatRoutes(s, { projects: (name) => ok({ name, dir: projectDir }), env: {} })
      },
    })
    const client = await ChatClient.open(
      `${server.url.replace('http', 'ws')}/api/expand/ws/app`,
      authHeaders(server),
    )
    await client.until((c) => c.closeCode !== null)
    expect(client.of('error')[0]).toMatchObject({ code: 'NO_SPEC' })

    const tab = await ChatClient.open(
      `${server.url.replace('http', 'ws')}/api/assistant/ws/app`,
      authHeaders(server),
    )
    await tab.turn({ type: 'start' })
    await server.close()
    await tab.until((c) => c.closeCode !== null)
    expect(tab.closeCode).not.toBeNull()
  })
})

describe('chat turns', () => {
  it('refuses a second message while the model answers, and stops the running turn at shutdown', async () => {
    using dir = tempDir('chat-busy-')
    const projectDir = realpathSync(dir.path)
    const runtime = new FakeRuntime([[{ silent: true }]])
    // Wired the way the full server does it: createServer registers the chats given `projects`.
    const server = await startServer({
      port: 0,
      projects: (name) => ok({ name, dir: projectDir }),
      env: { ANTHROPIC_API_KEY: 'test-key', HOME: projectDir },
      chat: { runtime },
    })
    const tab = await ChatClient.open(
      `${server.url.replace('http', 'ws')}/api/spec/ws/app`,
      authHeaders(server),
    )
    tab.send({ type: 'start' })
    await tab.until((c) => c.of('conversation_created').length === 1)
    await tab.until(() => runtime.started.length === 1)
    tab.send({ type: 'message', content: 'Hello?' })
    await tab.until((c) => c.of('error').length === 1)
    expect(tab.of('error')[0]).toMatchObject({ code: 'BUSY' })
    expect(runtime.started[0]!.tools).toEqual([
      'Read',
      'Glob',
      'Grep',
      'mcp__chat__ask_user',
      'mcp__chat__write_app_spec',
    ])
    expect(runtime.started[0]!.env['ANTHROPIC_API_KEY']).toBe('test-key')

    await server.close()
    await tab.until((c) => c.closeCode !== null)
    expect(runtime.closes).toBe(1)
  })
})
