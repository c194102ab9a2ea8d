import type { z } from 'zod'

import { modelFor, resolveProvider } from '../agents/index.js'
import type { SettingSources } from '../agents/index.js'
import type { EffectiveSettings } from '../core/api/index.js'

/** What a run would use with these settings: the provider (never its credentials) and each role's model. */
export function effectiveSettings(sources: SettingSources): z.infer<typeof EffectiveSettings> {
  const provider = resolveProvider(sources)
  return {
    provider: provider.ok
      ? { ok: true, kind: provider.value.kind, description: provider.value.description }
      : { ok: false, kind: null, description: provider.error.message },
    models: {
      initializer: modelFor('initializer', sources),
      coding: modelFor('coding', sources),
      testing: modelFor('testing', sources),
    },
  }
}
