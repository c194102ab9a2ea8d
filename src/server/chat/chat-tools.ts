import { createSdkMcpServer, tool } from '@anthropic-ai/claude-agent-sdk'
import type { McpSdkServerConfigWithInstance } from '@anthropic-ai/claude-agent-sdk'
import { z } from 'zod'

import { CHAT_SERVER_NAME } from '../../agents/index.js'
import { ChatQuestion } from '../../core/api/index.js'

/** Longest spec accepted from the model (characters). */
export const MAX_SPEC_CHARS = 400_000

type ToolReply = { content: Array<{ type: 'text'; text: string }>; isError?: boolean }

function reply(text: string, isError = false): Promise<ToolReply> {
  return Promise.resolve({
    content: [{ type: 'text', text }],
    ...(isError ? { isError: true } : {}),
  })
}

/** What the chat session does when the model uses its tools. */
export interface ChatToolHandlers {
  /** Shows the questions to the person (a `question` frame). */
  askUser(questions: ChatQuestion[]): void
  /** Writes the spec, or holds it as a draft when one exists; says which happened. */
  writeSpec(content: string): 'written' | 'confirmation_asked'
}

/** `ask_user` (every chat that asks structured questions) and `write_app_spec` (spec chat). */
export function createChatToolServer(
  handlers: ChatToolHandlers,
  options: { writeSpec: boolean },
): McpSdkServerConfigWithInstance {
  const askUser = tool(
    'ask_user',
    'Ask the person one to four structured questions, each with options to choose from (set multiSelect when several may apply). The questions are shown at once; end your turn after calling this: the answers arrive as the next user message.',
    { questions: z.array(ChatQuestion).min(1).max(4) },
    (args) => {
      handlers.askUser(args.questions)
      return reply(
        'The questions are shown to the person. End your turn now without further text; their answers arrive as the next message.',
      )
    },
  )
  const writeAppSpec = tool(
    'write_app_spec',
    'Write the approved app specification (the complete <project_specification> document). Call it once, after the person approved the summary. If a specification already exists, the person is asked to confirm replacing it.',
    {
      content: z
        .string()
        .min(1)
        .max(MAX_SPEC_CHARS)
        .describe('The whole specification, starting with <project_specification>.'),
    },
    (args) => {
      if (
        !args.content.includes('<project_specification>') ||
        !args.content.includes('</project_specification>')
      ) {
        return reply(
          'The specification must be one <project_specification> ... </project_specification> document; nothing was written. Send the whole document again.',
          true,
        )
      }
      const outcome = handlers.writeSpec(args.content)
      return reply(
        outcome === 'written'
          ? 'The specification was written. Tell the person it is ready and that they can start building.'
          : 'A specification already exists; the person is asked whether to replace it with yours. End your turn now; their decision arrives as the next message.',
      )
    },
  )
  return createSdkMcpServer({
    name: CHAT_SERVER_NAME,
    version: '1.0.0',
    tools: options.writeSpec ? [askUser, writeAppSpec] : [askUser],
    alwaysLoad: true,
  })
}
