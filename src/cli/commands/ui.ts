import type { Command } from 'commander'

import { CliError } from '../util.js'

interface UiOptions {
  port: string
  host: string
  token?: string
  strictPort?: boolean
}

function port(text: string): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < 0 || value > 65535)
    throw new CliError(`--port must be a port number (0-65535), not "${text}".`, 2)
  return value
}

/**
 * Registers `autocoder ui`: the local server (API, project sockets, built UI or a status page).
 * Loopback by default; any other host needs a token, printed at start. SIGINT/SIGTERM stop the
 * runs cleanly (claims released) before the process exits; a second signal exits at once.
 */
export function registerUiCommand(program: Command): void {
  program
    .command('ui')
    .description(
      'Start the local web server: UI, HTTP API (/api/openapi.json) and live project events',
    )
    .option('--port <port>', 'first port to try (the next free one is used when taken)', '8888')
    .option(
      '--host <host>',
      'interface to listen on (not loopback: a token is required)',
      '127.0.0.1',
    )
    .option(
      '--token <token>',
      'access token (default: $AUTOCODER_TOKEN, or generated when not on loopback)',
    )
    .option('--strict-port', 'fail instead of moving to the next free port')
    .action(async (options: UiOptions) => {
      const { startAutocoderServer } = await import('../../server/index.js')
      const token = options.token ?? process.env['AUTOCODER_TOKEN'] ?? null
      const app = await startAutocoderServer({
        host: options.host,
        port: port(options.port),
        ...(options.strictPort ? { strictPort: true } : {}),
        ...(token !== null && token !== '' ? { token } : {}),
        env: process.env,
        onListening: ({ url, urlWithToken, token: required }) => {
          process.stdout.write(`autocoder ui: ${url}\n`)
          if (required !== null) process.stdout.write(`token: ${required}\nopen: ${urlWithToken}\n`)
        },
      })
      await new Promise<void>((resolve) => {
        let closing = false
        const onSignal = (signal: NodeJS.Signals): void => {
          if (closing) process.exit(130)
          closing = true
          process.stdout.write(
            `${signal}: stopping runs and releasing their features (again to quit at once)...\n`,
          )
          app.close().then(
            () => {
              process.stdout.write('autocoder ui: stopped\n')
              resolve()
            },
            (error: unknown) => {
              process.stderr.write(`autocoder ui: shutdown failed: ${(error as Error).message}\n`)
              process.exitCode = 1
              resolve()
            },
          )
        }
        process.on('SIGINT', onSignal)
        process.on('SIGTERM', onSignal)
      })
    })
}
