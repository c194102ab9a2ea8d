import {
  cycleIfAdded,
  validateDependencies,
  computeStats,
  checkTransition,
  err,
  ok,
} from '../core/index.js'
import { z } from 'zod'

import type {
  LifecycleActor,
  Feature,
  FeaturePatch,
  FeatureState,
  FeatureStats,
  NewFeatureParsed,
  Result,
  Clock,
} from '../core/index.js'
import { transact } from './database.js'
import type { Db } from './database.js'
import type { EventLog } from './event-log.js'
import { readJsonColumn } from './json-column.js'
import type { StoreError } from './error-codes.js'

/** Steps as stored: a JSON list of strings (limits are checked on the way in, not on reads). */
const StoredSteps = z.array(z.string())

interface FeatureRow {
  id: number
  priority: number
  category: string
  name: string
  description: string
  steps: string
  state: FeatureState
  attempts: number
  last_verified_at: number | null
  created_at: number
  updated_at: number
}

/** A feature to create: a parsed `NewFeature`, optionally with backward references into its batch. */
export type FeatureDraft = NewFeatureParsed & { dependsOnIndices?: number[] }

export interface CreateOptions {
  by: string
  /** Keep dependencies on ids that do not exist (reference import); otherwise they are refused. */
  allowMissingDependencies?: boolean
  /** Use these ids instead of new ones (reference import keeps its ids). */
  ids?: number[]
}

export function notFound(id: number): Result<never, StoreError> {
  return err(
    'FEATURE_NOT_FOUND',
    `Feature ${id} does not exist; list features to find the right id.`,
  )
}

/** Features and their dependencies. The only code that writes those two tables. */
export class FeatureRepo {
  readonly #selectAll
  readonly #selectOne
  readonly #allDeps
  readonly #depsOf
  readonly #maxPriority

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventLog,
  ) {
    this.#selectAll = db.prepare<[], FeatureRow>('SELECT * FROM features ORDER BY priority, id')
    this.#selectOne = db.prepare<[number], FeatureRow>('SELECT * FROM features WHERE id = ?')
    this.#allDeps = db.prepare<[], { feature_id: number; depends_on: number }>(
      'SELECT feature_id, depends_on FROM feature_dependencies ORDER BY feature_id, depends_on',
    )
    this.#depsOf = db.prepare<[number], { depends_on: number }>(
      'SELECT depends_on FROM feature_dependencies WHERE feature_id = ? ORDER BY depends_on',
    )
    this.#maxPriority = db.prepare<[], { max: number | null }>(
      'SELECT MAX(priority) AS max FROM features',
    )
  }

  /** Every feature, in priority order (then id). */
  list(): Feature[] {
    const deps = new Map<number, number[]>()
    for (const row of this.#allDeps.all()) {
      const list = deps.get(row.feature_id) ?? []
      list.push(row.depends_on)
      deps.set(row.feature_id, list)
    }
    return this.#selectAll.all().map((row) => toFeature(row, deps.get(row.id) ?? []))
  }

  get(id: number): Feature | undefined {
    const row = this.#selectOne.get(id)
    return row
      ? toFeature(
          row,
          this.#depsOf.all(id).map((d) => d.depends_on),
        )
      : undefined
  }

  find(id: number): Result<Feature, StoreError> {
    const feature = this.get(id)
    return feature ? ok(feature) : notFound(id)
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM features').get() as { n: number }).n
  }

  stats(): FeatureStats {
    const rows = this.db.prepare('SELECT state FROM features').all() as Array<{
      state: FeatureState
    }>
    return computeStats(rows.map((row) => row.state))
  }

  nextPriority(): number {
    return (this.#maxPriority.get()?.max ?? 0) + 1
  }

  /**
   * Creates features in one transaction: all or nothing. Priorities continue after the current
   * maximum in list order unless given. Dependencies may name existing ids or, through
   * `dependsOnIndices`, earlier items of the same list.
   */
  create(drafts: readonly FeatureDraft[], options: CreateOptions): Result<Feature[], StoreError> {
    const result = transact(this.db, (): Result<Feature[], StoreError> => {
      const known = new Set(this.db.prepare('SELECT id FROM features').pluck().all() as number[])
      const now = this.clock.now()
      let priority = this.nextPriority()
      const insert = this.db.prepare(
        `INSERT INTO features (id, priority, category, name, description, steps, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      const insertDep = this.db.prepare(
        'INSERT INTO feature_dependencies (feature_id, depends_on) VALUES (?, ?)',
      )
      const createdIds: number[] = []
      for (const [index, draft] of drafts.entries()) {
        const fromIndices: number[] = []
        for (const depIndex of draft.dependsOnIndices ?? []) {
          if (!Number.isInteger(depIndex) || depIndex < 0 || depIndex >= index) {
            return err(
              'INVALID_DEPENDENCY_INDEX',
              `Item ${index} ("${draft.name}") depends on index ${depIndex}; dependencies may only point to earlier items (0..${index - 1}).`,
            )
          }
          fromIndices.push(createdIds[depIndex]!)
        }
        const dependencies = [...draft.dependencies, ...fromIndices]
        const id = options.ids?.[index] ?? null
        if (id !== null && known.has(id)) {
          return err(
            'DUPLICATE_FEATURE_ID',
            `Feature id ${id} already exists; import into an empty board or drop the ids.`,
          )
        }
        const info = insert.run(
          id,
          draft.priority ?? priority++,
          draft.category,
          draft.name,
          draft.description,
          JSON.stringify(draft.steps),
          now,
          now,
        )
        const newId = Number(info.lastInsertRowid)
        // Missing ids are tolerated only for a reference import: treat them as known for the check.
        const knownForCheck = options.allowMissingDependencies
          ? new Set([...known, ...dependencies])
          : known
        const checked = validateDependencies(newId, dependencies, knownForCheck)
        if (!checked.ok)
          return err(
            checked.error.code,
            `Item ${index} ("${draft.name}"): ${checked.error.message}`,
          )
        for (const dep of new Set(dependencies)) insertDep.run(newId, dep)
        known.add(newId)
        createdIds.push(newId)
      }
      return ok(createdIds.map((id) => this.get(id)!))
    })
    if (!result.ok) return result
    if (result.value.length > 0) {
      this.events.append({
        type: 'feature.created',
        featureIds: result.value.map((f) => f.id),
        by: options.by,
      })
    }
    return result
  }

  /** Edits fields of a feature; a dependency change is validated, including cycles. */
  update(id: number, patch: FeaturePatch, by: string): Result<Feature, StoreError> {
    const result = transact(this.db, (): Result<Feature, StoreError> => {
      const feature = this.get(id)
      if (!feature) return notFound(id)
      if (patch.dependencies) {
        const set = this.#replaceDependencies(feature, patch.dependencies)
        if (!set.ok) return set
      }
      const fields: Array<[string, unknown]> = []
      if (patch.category !== undefined) fields.push(['category', patch.category])
      if (patch.name !== undefined) fields.push(['name', patch.name])
      if (patch.description !== undefined) fields.push(['description', patch.description])
      if (patch.steps !== undefined) fields.push(['steps', JSON.stringify(patch.steps)])
      if (patch.priority !== undefined) fields.push(['priority', patch.priority])
      fields.push(['updated_at', this.clock.now()])
      this.db
        .prepare(
          `UPDATE features SET ${fields.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`,
        )
        .run(...fields.map(([, value]) => value), id)
      return ok(this.get(id)!)
    })
    if (result.ok)
      this.events.append({ type: 'feature.updated', featureId: id, by, fields: Object.keys(patch) })
    return result
  }

  /** Replaces the dependency list (validated: count, self, unknown, duplicates, cycles). */
  setDependencies(
    id: number,
    dependencies: readonly number[],
    by: string,
  ): Result<Feature, StoreError> {
    return this.update(id, { dependencies: [...dependencies] }, by)
  }

  addDependency(id: number, dependencyId: number, by: string): Result<Feature, StoreError> {
    const feature = this.get(id)
    if (!feature) return notFound(id)
    if (feature.dependencies.includes(dependencyId)) {
      return err(
        'DUPLICATE_DEPENDENCY',
        `Feature ${id} already depends on ${dependencyId}; nothing to add.`,
      )
    }
    return this.setDependencies(id, [...feature.dependencies, dependencyId], by)
  }

  removeDependency(id: number, dependencyId: number, by: string): Result<Feature, StoreError> {
    const feature = this.get(id)
    if (!feature) return notFound(id)
    if (!feature.dependencies.includes(dependencyId)) {
      return err(
        'DEPENDENCY_NOT_FOUND',
        `Feature ${id} does not depend on ${dependencyId}; its dependencies are [${feature.dependencies.join(', ')}].`,
      )
    }
    return this.setDependencies(
      id,
      feature.dependencies.filter((dep) => dep !== dependencyId),
      by,
    )
  }

  /** Deletes a feature and removes it from every dependency list; returns the features that changed. */
  delete(id: number, by: string): Result<{ affected: number[] }, StoreError> {
    const result = transact(this.db, (): Result<{ affected: number[] }, StoreError> => {
      if (!this.get(id)) return notFound(id)
      const affected = this.db
        .prepare(
          'SELECT feature_id FROM feature_dependencies WHERE depends_on = ? ORDER BY feature_id',
        )
        .pluck()
        .all(id) as number[]
      this.db.prepare('DELETE FROM feature_dependencies WHERE depends_on = ?').run(id)
      this.db.prepare('DELETE FROM features WHERE id = ?').run(id)
      return ok({ affected })
    })
    if (result.ok) this.events.append({ type: 'feature.deleted', featureId: id, by })
    return result
  }

  /**
   * Moves a feature to a new state if it is in one of `from` (when given) and the lifecycle table
   * (core/lifecycle.ts) lets `actor` make that move; otherwise an error result. In one transaction,
   * so concurrent writers cannot both win.
   */
  transition(
    id: number,
    to: FeatureState,
    options: {
      by: string
      actor: LifecycleActor
      reason: string
      from?: readonly FeatureState[]
      extra?: 'attempt' | 'verified'
    },
  ): Result<Feature, StoreError> {
    const result = transact(
      this.db,
      (): Result<{ feature: Feature; from: FeatureState }, StoreError> => {
        const feature = this.get(id)
        if (!feature) return notFound(id)
        if (options.from && !options.from.includes(feature.state)) {
          return err(
            'INVALID_STATE',
            `Feature ${id} is ${feature.state}, not ${options.from.join(' or ')}; ${options.reason} is not possible now.`,
          )
        }
        const allowed = checkTransition(id, feature.state, to, options.actor)
        if (!allowed.ok) return allowed
        const now = this.clock.now()
        const extra =
          options.extra === 'attempt'
            ? ', attempts = attempts + 1'
            : options.extra === 'verified'
              ? ', last_verified_at = @now'
              : ''
        this.db
          .prepare(`UPDATE features SET state = @to, updated_at = @now${extra} WHERE id = @id`)
          .run({ to, now, id })
        return ok({ feature: this.get(id)!, from: feature.state })
      },
    )
    if (!result.ok) return result
    if (result.value.from !== to) {
      this.events.append({
        type: 'feature.state',
        featureId: id,
        from: result.value.from,
        to,
        by: options.by,
        reason: options.reason,
        attempts: result.value.feature.attempts,
      })
    }
    return ok(result.value.feature)
  }

  #replaceDependencies(
    feature: Feature,
    dependencies: readonly number[],
  ): Result<number[], StoreError> {
    const known = new Set(this.db.prepare('SELECT id FROM features').pluck().all() as number[])
    const checked = validateDependencies(feature.id, dependencies, known)
    if (!checked.ok) return checked
    const graph = this.list().map((f) => ({
      id: f.id,
      dependencies: f.id === feature.id ? [] : f.dependencies,
    }))
    for (const dep of checked.value) {
      const cycle = cycleIfAdded(graph, feature.id, dep)
      if (cycle) {
        return err(
          'DEPENDENCY_CYCLE',
          `Feature ${feature.id} cannot depend on ${dep}: that closes the cycle ${cycle.join(' -> ')}; remove one of those dependencies first.`,
        )
      }
    }
    this.db.prepare('DELETE FROM feature_dependencies WHERE feature_id = ?').run(feature.id)
    const insert = this.db.prepare(
      'INSERT INTO feature_dependencies (feature_id, depends_on) VALUES (?, ?)',
    )
    for (const dep of checked.value) insert.run(feature.id, dep)
    return checked
  }
}

function toFeature(row: FeatureRow, dependencies: number[]): Feature {
  return {
    id: row.id,
    priority: row.priority,
    category: row.category,
    name: row.name,
    description: row.description,
    steps: readJsonColumn(StoredSteps, row.steps, {
      table: 'features',
      column: 'steps',
      row: `id = ${row.id}`,
    }),
    dependencies,
    state: row.state,
    attempts: row.attempts,
    lastVerifiedAt: row.last_verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
