import type { ServerResponse } from 'node:http'

import type { RecordedRequest } from './record.js'
import { sendJson } from './send.js'
import { estimateTokens } from './wire.js'

const knownModels = [
  'claude-sonnet-4-5',
  'claude-opus-4-5',
  'claude-haiku-4-5',
  'claude-sonnet-4-5-20250929',
  'claude-opus-4-5-20251101',
]

function modelInfo(id: string): Record<string, unknown> {
  return { type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }
}

/** Answers the requests around the model: count_tokens (an estimate), the models list, the probe. */
export function answerInfo(res: ServerResponse, record: RecordedRequest): void {
  record.outcome = 'info'
  record.status = 200
  if (record.kind === 'count_tokens') {
    const body = typeof record.body === 'object' && record.body !== null ? record.body : {}
    return sendJson(res, 200, JSON.stringify({ input_tokens: estimateTokens(body) }))
  }
  if (record.kind === 'probe') {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(record.method === 'HEAD' ? undefined : 'ok')
    return
  }
  const id = record.path.slice('/v1/models/'.length)
  if (record.path.startsWith('/v1/models/'))
    return sendJson(res, 200, JSON.stringify(modelInfo(decodeURIComponent(id))))
  const data = knownModels.map(modelInfo)
  sendJson(
    res,
    200,
    JSON.stringify({
      data,
      has_more: false,
      first_id: knownModels[0],
      last_id: knownModels.at(-1),
    }),
  )
}
