import type { Command } from 'commander'

import { CliError, orFail } from '../util.js'

interface UiOptions {
  port: string
  host: string
  strictPort?: boolean
  printUrl?: boolean
}

function port(text: string): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < 0 || value > 65535)
    throw new CliError(`--port must be a port number (0-65535), not "${text}".`, 2)
  return value
}

/**
 * Registers `autocoder ui`: the local server (API, project sockets, built UI or a status page).
 * Every request needs the token kept in `$AUTOCODER_HOME/server-token`, loopback too; the start
 * address printed at start (or by `--print-url`) carries it. SIGINT/SIGTERM stop the runs cleanly
 * (claims released) before the process exits; a second signal exits at once.
 */
export function registerUiCommand(program: Command): void {
  program
    .command('ui')
    .description(
      'Start the local web server: UI, HTTP API (/api/openapi.json) and live project events',
    )
    .option('--port <port>', 'first port to try (the next free one is used when taken)', '8888')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--strict-port', 'fail instead of moving to the next free port')
    .option(
      '--print-url',
      'print the start address with the access token (for --host/--port) and exit',
    )
    .action(async (options: UiOptions) => {
      const { serverUrl, startAddress, startAutocoderServer } =
        await import('../../server/index.js')
      if (options.printUrl) {
        const { autocoderHome, loadServerToken } = await import('../../store/index.js')
        const { token } = orFail(loadServerToken(autocoderHome()))
        process.stdout.write(
          `${startAddress(serverUrl(options.host, port(options.port)), token)}\n`,
        )
        return
      }
      const app = await startAutocoderServer({
        host: options.host,
        port: port(options.port),
        ...(options.strictPort ? { strictPort: true } : {}),
        env: process.env,
        onListening: ({ url, urlWithToken }) => {
          process.stdout.write(
            `autocoder ui: ${url}\nopen: ${urlWithToken}\n(the token is kept in $AUTOCODER_HOME/server-token; the address works after a restart)\n`,
          )
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
