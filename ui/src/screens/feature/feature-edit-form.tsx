import type { FeatureView } from '@core/api/index.js'
import { FeaturePatch } from '@core/feature.js'
import type { FormEvent } from 'react'
import { useState } from 'react'

import { useFeatureMutations } from '../../api/mutations.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { fieldErrors } from '../../lib/zod-errors.js'
import type { FeatureFormValues } from './feature-fields.js'
import { FeatureFields, stepsOf } from './feature-fields.js'

/** Category, name, priority, description and steps, checked with the API's own schema. */
export function FeatureEditForm({
  project,
  feature,
  onDone,
}: {
  project: string
  feature: FeatureView
  onDone: () => void
}) {
  const { update } = useFeatureMutations(project)
  const [values, setValues] = useState<FeatureFormValues>({
    category: feature.category,
    name: feature.name,
    priority: String(feature.priority),
    description: feature.description,
    steps: feature.steps.join('\n'),
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const parsed = FeaturePatch.safeParse({
      category: values.category,
      name: values.name,
      priority: values.priority.trim() === '' ? undefined : Number(values.priority),
      description: values.description,
      steps: stepsOf(values.steps),
    })
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error))
      return
    }
    setErrors({})
    update.mutate({ id: feature.id, patch: parsed.data }, { onSuccess: onDone })
  }
  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex flex-col gap-3"
      aria-label={`Edit feature #${feature.id}`}
    >
      <FeatureFields
        values={values}
        errors={errors}
        onChange={(field, value) => setValues((current) => ({ ...current, [field]: value }))}
      />
      {update.error && <ErrorPanel compact error={update.error} />}
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={update.isPending}>
          Save
        </Button>
      </div>
    </form>
  )
}
