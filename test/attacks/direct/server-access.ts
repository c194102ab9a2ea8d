// Class 11 (direct): a local client without the server's token, the way any process on the machine
// (or an agent that got out) would try. Every request must get 401 and every WebSocket be refused.
import { request as httpRequest } from 'node:http'

import { refusedStatus } from '../servers.js'
import type { DirectOutcome } from './direct-attack.js'

interface Probe {
  readonly id: string
  readonly method: string
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

const json = { 'content-type': 'application/json' }
const upgrade = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
}

function probes(project: string): Probe[] {
  return [
    { id: 'c11d-list-projects', method: 'GET', path: '/api/projects' },
    { id: 'c11d-health', method: 'GET', path: '/api/health' },
    { id: 'c11d-openapi', method: 'GET', path: '/api/openapi.json' },
    { id: 'c11d-ui-page', method: 'GET', path: '/' },
    {
      id: 'c11d-global-settings',
      method: 'PATCH',
      path: '/api/settings',
      headers: json,
      body: '{"unsandboxed":true}',
    },
    {
      id: 'c11d-project-settings',
      method: 'PATCH',
      path: `/api/projects/${project}/settings`,
      headers: json,
      body: '{"check_command":"true"}',
    },
    { id: 'c11d-terminal-create', method: 'POST', path: `/api/terminal/${project}` },
    {
      id: 'c11d-run-start',
      method: 'POST',
      path: `/api/projects/${project}/run/start`,
      headers: json,
      body: '{}',
    },
    {
      id: 'c11d-terminal-socket',
      method: 'GET',
      path: `/api/terminal/ws/${project}/t1`,
      headers: upgrade,
    },
    {
      id: 'c11d-event-socket',
      method: 'GET',
      path: `/api/projects/${project}/ws`,
      headers: upgrade,
    },
    {
      id: 'c11d-wrong-bearer',
      method: 'GET',
      path: '/api/projects',
      headers: { authorization: 'Bearer wrong-token' },
    },
    { id: 'c11d-wrong-query-token', method: 'GET', path: '/api/projects?token=wrong-token' },
    {
      id: 'c11d-wrong-cookie',
      method: 'GET',
      path: '/api/settings',
      headers: { cookie: 'autocoder_token=wrong-token' },
    },
    {
      id: 'c11d-same-origin-header',
      method: 'GET',
      path: '/api/settings',
      headers: { origin: 'http://127.0.0.1' },
    },
  ]
}

/** The status the server answered (the upgrade response for a WebSocket), or null for none. */
function send(url: string, probe: Probe): Promise<number | null> {
  return new Promise((resolve) => {
    const target = new URL(probe.path, url)
    const headers: Record<string, string> = { ...probe.headers }
    if (headers['origin'] === 'http://127.0.0.1') headers['origin'] = `http://${target.host}`
    const req = httpRequest(target, { method: probe.method, headers, timeout: 5000 })
    req.on('response', (response) => {
      response.resume()
      resolve(response.statusCode ?? null)
    })
    req.on('upgrade', (response, socket) => {
      socket.destroy()
      resolve(response.statusCode ?? 101)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(null))
    req.end(probe.body)
  })
}

/** Sends each probe without the token; contained when there is no answer or it is 401. */
export async function attackServerAccess(url: string, project: string): Promise<DirectOutcome[]> {
  const outcomes: DirectOutcome[] = []
  for (const probe of probes(project)) {
    const status = await send(url, probe)
    outcomes.push({
      id: probe.id,
      cls: 11,
      contained: refusedStatus(status),
      detail: `${probe.method} ${probe.path}${probe.headers?.['upgrade'] ? ' (WebSocket)' : ''} -> ${status ?? 'no answer'}`,
    })
  }
  return outcomes
}
