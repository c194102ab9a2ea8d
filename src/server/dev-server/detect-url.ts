// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g

const LOCAL_URL =
  /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\])(?::\d{1,5})?(?:\/[^\s'"<>()]*)?/i
const PORT_PHRASE =
  /\b(?:listening|running|started|serving|available|ready)\b.*?\bport\s*:?\s*(\d{2,5})\b/i

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

/**
 * The local URL a dev server announces in a line of its output, if any: a loopback URL, or a
 * "listening on port N" phrase. Wildcard hosts become `localhost` so the link opens in a browser.
 */
export function detectUrl(line: string): string | null {
  const plain = stripAnsi(line)
  const url = LOCAL_URL.exec(plain)
  if (url) {
    return url[0].replace(/[.,;:!]+$/, '').replace(/\/\/(?:0\.0\.0\.0|\[::\])/, '//localhost')
  }
  const port = PORT_PHRASE.exec(plain)
  if (port && Number(port[1]) <= 65535) return `http://localhost:${port[1]}`
  return null
}

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{20,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\b((?:[A-Z0-9_]*_)?(?:API_KEY|TOKEN|SECRET|PASSWORD)\s*[=:]\s*)\S+/gi,
]

/** Hides credential-looking values in a log line before it is stored or streamed. */
export function redactSecrets(line: string): string {
  return SECRET_PATTERNS.reduce(
    (text, pattern) =>
      text.replace(pattern, (_match, prefix?: unknown) =>
        typeof prefix === 'string' ? `${prefix}[REDACTED]` : '[REDACTED]',
      ),
    line,
  )
}
