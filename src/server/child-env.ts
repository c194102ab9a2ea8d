/** Variables never handed to a child (dev server, terminal): the server's credentials. */
const SECRET_NAME = [
  /^ANTHROPIC_/i,
  /^CLAUDE_CODE_OAUTH/i,
  /^AUTOCODER_TOKEN$/i,
  /^AWS_/i,
  /^AZURE_/i,
  /^GOOGLE_APPLICATION_CREDENTIALS$/i,
  /^(OPENAI|GEMINI|MISTRAL|GROQ|DEEPSEEK|OPENROUTER|ZAI|GLM)_/i,
  /(^|_)(TOKEN|KEY|SECRET|SECRETS|PASSWORD|PASSWD|PASS|CREDENTIALS?|AUTH)$/i,
  /(^|_)(API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|AUTH_?TOKEN)(_|$)/i,
  /SECRET|PASSWORD|TOKEN/i,
]

/** Names that look secret but are not (keep them so tools behave normally). */
const KEEP = new Set(['SSH_AUTH_SOCK', 'GPG_AGENT_INFO', 'KEYTIMEOUT'])

export function isSecretEnvName(name: string): boolean {
  return !KEEP.has(name) && SECRET_NAME.some((pattern) => pattern.test(name))
}

/**
 * The environment for processes the server starts for a person (dev server, terminal): the
 * server's own environment without credentials, plus `extra`. Use this for every such child.
 */
export function safeChildEnv(
  base: NodeJS.ProcessEnv = process.env,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !isSecretEnvName(name)) env[name] = value
  }
  return { ...env, ...extra }
}
