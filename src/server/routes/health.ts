import { HealthResponse, SetupStatus } from '../../core/api/index.js'
import { ok } from '../../core/index.js'
import type { ApiRouter } from '../api-router.js'
import type { SetupProbe } from '../setup-status.js'
import { setupStatus } from '../setup-status.js'

export function registerHealthRoutes(
  api: ApiRouter,
  deps: { version: string; probe: SetupProbe },
): void {
  api.route({
    method: 'GET',
    url: '/api/health',
    summary: 'Liveness check',
    tags: ['setup'],
    response: HealthResponse,
    handler: () => ok({ status: 'ok' as const, version: deps.version }),
  })
  api.route({
    method: 'GET',
    url: '/api/setup/status',
    summary: 'Tools and credentials found on this machine (never their values)',
    tags: ['setup'],
    response: SetupStatus,
    handler: async () => ok(await setupStatus(deps.probe)),
  })
}
