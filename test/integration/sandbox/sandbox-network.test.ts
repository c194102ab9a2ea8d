/**
 * The network, attacked from inside: the host's loopback (where the autocoder server listens) must
 * get no connection by any route, the proxy must pass only the allowed host:port, and there is no
 * DNS, no other interface, no abstract unix socket of the host.
 */
import { networkInterfaces } from 'node:os'
import { createServer } from 'node:net'
import type { Server } from 'node:net'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Sandbox } from '../../../src/sandbox/index.js'
import { attack, makeCanaries, openFor, WAYS } from './fixture.js'
import type { Canaries } from './fixture.js'
import { runWrapped, skipReason } from './helpers.js'

const PROXY = 'http://127.0.0.1:3128'

function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address
}

describe.skipIf(skipReason !== null)('the sandbox network', () => {
  let canaries: Canaries
  let sandbox: Sandbox
  let abstract: Server
  let abstractHits = 0
  const abstractName = `autocoder-sbx-test-${process.pid}`

  beforeAll(async () => {
    canaries = await makeCanaries('net')
    sandbox = await openFor(canaries)
    abstract = createServer((socket) => {
      abstractHits++
      socket.end('abstract')
    })
    await new Promise<void>((resolve) => abstract.listen(`\0${abstractName}`, resolve))
  })
  afterAll(async () => {
    await new Promise((resolve) => abstract.close(resolve))
    await sandbox.close()
    await canaries.dispose()
  })

  const direct = (c: Canaries): Record<string, string> => {
    const port = c.autocoderServer.port
    const external = externalAddress() ?? '192.0.2.1'
    return {
      curl: `curl -sS -m 5 http://127.0.0.1:${port}/api/projects; curl -sS -m 5 http://localhost:${port}/`,
      'curl without the proxy': `curl -sS -m 5 --noproxy '*' http://127.0.0.1:${port}/`,
      '/dev/tcp': `exec 3<>/dev/tcp/127.0.0.1/${port} && echo GET >&3 && cat <&3`,
      'python and node sockets': `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), 3)"; node -e "require('net').connect(${port}, '127.0.0.1').on('error', e => console.log(e.code))"`,
      'IPv6 and other loopback addresses': `curl -sS -m 5 'http://[::1]:${port}/' http://127.0.0.2:${port}/ http://0.0.0.0:${port}/`,
      "the host's external address": `curl -sS -m 5 http://${external}:${port}/; ip -o addr; ip route`,
      'socat and nc': `socat - TCP:127.0.0.1:${port},connect-timeout=3 </dev/null; nc -w 3 127.0.0.1 ${port} </dev/null`,
      'the proxy to a host not allowed': `curl -sS -m 5 --noproxy '' -x ${PROXY} http://127.0.0.1:${port}/; curl -sS -m 5 -p --noproxy '' -x ${PROXY} http://127.0.0.1:${port}/`,
      'the proxy with tricks': `curl -sS -m 5 --noproxy '' -x ${PROXY} 'http://127.0.0.1:${c.allowedServer.port}@127.0.0.1:${port}/' 'http://localhost:${port}/' 'http://0x7f.1:${port}/' 'http://2130706433:${port}/' 'http://[::ffff:127.0.0.1]:${port}/'`,
      'CONNECT by hand': `exec 3<>/dev/tcp/127.0.0.1/3128 && printf 'CONNECT 127.000.000.001:${port} HTTP/1.1\\r\\nHost: 127.0.0.1:${c.allowedServer.port}\\r\\n\\r\\n' >&3 && timeout 5 cat <&3`,
      'other schemes through the proxy': `curl -sS -m 5 --noproxy '' -x ${PROXY} gopher://127.0.0.1:${port}/ ftp://127.0.0.1:${port}/ 'file:///etc/passwd'`,
    }
  }

  for (const way of WAYS) {
    describe(`through ${way}`, () => {
      for (const name of Object.keys(
        direct({ allowedServer: {}, autocoderServer: {} } as Canaries),
      )) {
        it(`gives the autocoder server no connection by ${name}`, async () => {
          await attack(sandbox, canaries, way, direct(canaries)[name] ?? '')
          expect(canaries.autocoderServer.connections).toBe(0)
        })
      }

      it('reaches the host:port that is allowed through the proxy, by HTTP and CONNECT', async () => {
        const port = canaries.allowedServer.port
        const result = await attack(
          sandbox,
          canaries,
          way,
          `curl -sS -m 10 --noproxy '' -x ${PROXY} http://127.0.0.1:${port}/; echo; curl -sS -m 10 -p --noproxy '' -x ${PROXY} http://127.0.0.1:${port}/`,
        )
        expect(result.stdout, result.stderr).toBe('allowed-server-ok\nallowed-server-ok')
      })

      it('refuses another loopback server through the proxy with a reason', async () => {
        const port = canaries.otherServer.port
        const result = await attack(
          sandbox,
          canaries,
          way,
          `curl -s -m 10 -w '%{http_code}' --noproxy '' -x ${PROXY} http://127.0.0.1:${port}/`,
        )
        expect(result.stdout).toContain("is not in the sandbox's allowed hosts")
        expect(result.stdout.endsWith('403')).toBe(true)
        expect(canaries.otherServer.connections).toBe(0)
      })

      it('has no DNS and no abstract unix sockets of the host', async () => {
        const result = await attack(
          sandbox,
          canaries,
          way,
          `getent hosts example.com || echo no-dns; python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('8.8.8.8', 53))" 2>&1 | tail -1; socat - ABSTRACT-CONNECT:${abstractName} </dev/null 2>&1 | tail -1`,
        )
        expect(result.stdout).toContain('no-dns')
        expect(result.stdout).toContain('Network is unreachable')
        expect(abstractHits).toBe(0)
      })
    })
  }

  // The allowed server answers and closes before reading the request: the proxy once cut the
  // tunnel then, and the relay lost the answer about one time in thirty.
  it('passes the whole answer of a server that closes at once, through every tunnel', async () => {
    const port = canaries.allowedServer.port
    const result = await runWrapped(
      sandbox,
      `n=0; for i in $(seq 40); do curl -sS -m 10 -p --noproxy '' -x ${PROXY} http://127.0.0.1:${port}/ | grep -qx allowed-server-ok && n=$((n+1)); done; echo $n`,
      canaries.project,
    )
    expect(result.stdout, result.stderr).toBe('40\n')
  })
})
