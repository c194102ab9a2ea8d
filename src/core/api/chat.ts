import { z } from 'zod'

/** The three chats: spec creation, expand project, project assistant. */
export const ChatKind = z.enum(['spec', 'expand', 'assistant'])
export type ChatKind = z.infer<typeof ChatKind>

export const ConversationId = z.coerce.number().int().positive()
export const ChatSessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a chat session id')

/** Longest user message accepted (characters). */
export const MAX_CHAT_MESSAGE_CHARS = 20_000

/** Largest image attachment, decoded (the WebSocket payload limit may be lower). */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

/** An image sent with a message; the model looks at it with Read. */
export const ChatAttachment = z.object({
  filename: z.string().trim().min(1).max(200),
  mimeType: z.enum(['image/png', 'image/jpeg']),
  base64Data: z.base64().max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4, 'image larger than 5 MB'),
})
export type ChatAttachment = z.infer<typeof ChatAttachment>

export const ChatRole = z.enum(['user', 'assistant', 'system'])
export type ChatRole = z.infer<typeof ChatRole>

export const ChatMessage = z.object({
  id: z.number().int(),
  role: ChatRole,
  content: z.string(),
  createdAt: z.number(),
})
export type ChatMessage = z.infer<typeof ChatMessage>

export const ConversationSummary = z.object({
  id: z.number().int(),
  kind: ChatKind,
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  messageCount: z.number().int().nonnegative(),
})
export type ConversationSummary = z.infer<typeof ConversationSummary>

export const Conversation = ConversationSummary.extend({ messages: z.array(ChatMessage) })
export type Conversation = z.infer<typeof Conversation>

/** One live chat: a WebSocket connection (each browser tab has its own). */
export const ChatSessionInfo = z.object({
  sessionId: ChatSessionId,
  kind: ChatKind,
  project: z.string(),
  conversationId: z.number().int().nullable(),
  busy: z.boolean(),
  createdAt: z.number(),
  featuresCreated: z.number().int().nonnegative(),
})
export type ChatSessionInfo = z.infer<typeof ChatSessionInfo>

/** A structured question the model asks through its `ask_user` tool. */
export const ChatQuestion = z.object({
  question: z.string().min(1).max(2_000),
  header: z.string().max(100).optional(),
  options: z
    .array(
      z.object({
        label: z.string().min(1).max(200),
        description: z.string().max(1_000).optional(),
      }),
    )
    .max(10)
    .default([]),
  multiSelect: z.boolean().default(false),
})
export type ChatQuestion = z.infer<typeof ChatQuestion>

/** Client → server frames on `/api/{spec,expand,assistant}/ws/:project`. */
export const ChatClientFrame = z.discriminatedUnion('type', [
  /** Opens a conversation: a new one (no id) or an earlier one of the same chat to continue. */
  z.object({
    type: z.literal('start'),
    conversationId: z.number().int().positive().nullable().optional(),
  }),
  z.object({
    type: z.literal('message'),
    content: z.string().trim().min(1, 'Empty message').max(MAX_CHAT_MESSAGE_CHARS),
    attachments: z.array(ChatAttachment).max(5).optional(),
  }),
  /** Answers to a `question` frame: question text (or header) → chosen label(s) or free text. */
  z.object({
    type: z.literal('answer'),
    answers: z.record(
      z.string().max(2_000),
      z.union([z.string().max(5_000), z.array(z.string().max(5_000)).max(20)]),
    ),
    toolId: z.string().max(100).optional(),
  }),
  /** Spec chat: replace the existing spec with the pending draft (true) or keep it (false). */
  z.object({ type: z.literal('confirm_overwrite'), accept: z.boolean() }),
  /** Spec chat: start the initializer once the spec is written. */
  z.object({ type: z.literal('start_initializer'), yolo: z.boolean().default(false) }),
  /** Expand chat: the person is done; answers `expansion_complete`. */
  z.object({ type: z.literal('done') }),
  z.object({ type: z.literal('ping') }),
])
export type ChatClientFrame = z.infer<typeof ChatClientFrame>

export const CreatedFeature = z.object({
  id: z.number().int(),
  name: z.string(),
  category: z.string(),
})

/** Server → client frames. */
export const ChatServerFrame = z.discriminatedUnion('type', [
  /** First frame of every connection: this tab's own session. */
  z.object({ type: z.literal('session'), sessionId: ChatSessionId, kind: ChatKind }),
  z.object({ type: z.literal('conversation_created'), conversationId: z.number().int() }),
  /** The conversation in use after `start` (new or resumed) and its earlier messages. */
  z.object({
    type: z.literal('conversation'),
    conversationId: z.number().int(),
    messages: z.array(ChatMessage),
  }),
  /** Assistant text, streamed in pieces. */
  z.object({ type: z.literal('text'), content: z.string() }),
  z.object({ type: z.literal('tool_call'), tool: z.string(), input: z.unknown() }),
  z.object({ type: z.literal('question'), toolId: z.string(), questions: z.array(ChatQuestion) }),
  /** Spec chat: a spec exists; the draft waits for `confirm_overwrite`. */
  z.object({ type: z.literal('confirm_overwrite'), files: z.array(z.string()) }),
  z.object({ type: z.literal('file_written'), path: z.string() }),
  z.object({ type: z.literal('spec_complete'), path: z.string() }),
  z.object({ type: z.literal('spec_kept'), path: z.string() }),
  z.object({ type: z.literal('initializer_started') }),
  z.object({
    type: z.literal('features_created'),
    count: z.number().int(),
    total: z.number().int(),
    features: z.array(CreatedFeature),
  }),
  z.object({ type: z.literal('expansion_complete'), totalAdded: z.number().int() }),
  /** The model's turn is over; the client may send again. */
  z.object({ type: z.literal('response_done') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ type: z.literal('pong') }),
])
export type ChatServerFrame = z.infer<typeof ChatServerFrame>

export const SpecStatus = z.object({
  exists: z.boolean(),
  /** Project-relative path of the spec in use, when one exists. */
  path: z.string().nullable(),
  updatedAt: z.number().nullable(),
})
export type SpecStatus = z.infer<typeof SpecStatus>
