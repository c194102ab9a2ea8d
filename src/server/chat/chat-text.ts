import type { ChatMessage, ChatQuestion } from '../../core/api/index.js'

/** Messages of earlier turns put into the prompt, and the characters kept of each. */
const HISTORY_MESSAGES = 40
const HISTORY_MESSAGE_CHARS = 4_000
/** Characters of a tool input shown to the client. */
const TOOL_INPUT_CHARS = 2_000

/** A tool input as the client sees it: whole, or only its size when it is long. */
export function shownInput(input: unknown): unknown {
  const text = JSON.stringify(input ?? null)
  return text.length <= TOOL_INPUT_CHARS ? input : { truncated: true, chars: text.length }
}

/** `mcp__server__tool` as `tool`; other names as they are. */
export function shortToolName(tool: string): string {
  return tool.startsWith('mcp__') ? tool.split('__').slice(2).join('__') : tool
}

/** The model's questions as the conversation keeps them: one line each, with the options. */
export function describeQuestions(questions: readonly ChatQuestion[]): string {
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
 * The prompt of a turn: the conversation so far (`earlier`, without the new message; the newest
 * stored message is dropped when it is the one this turn answers) and the new message.
 */
export function turnPrompt(stored: readonly ChatMessage[], content: string): string {
  const earlier = [...stored]
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
