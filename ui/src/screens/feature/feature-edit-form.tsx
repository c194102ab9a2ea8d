import type { FeatureView } from '@core/api/index.js'
import { FeaturePatch } from '@core/feature.js'
import type { FormEvent } from 'react'
import { useState } from 'react'

import { useFeatureMutations } from '../../api/mutations.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Field, inputClass, TextInput } from '../../components/field.js'
import { fieldErrors } from '../../lib/zod-errors.js'

/** Steps as the form edits them: one per line, blank lines dropped. */
export function stepsOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

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
  const [values, setValues] = useState({
    category: feature.category,
    name: feature.name,
    priority: String(feature.priority),
    description: feature.description,
    steps: feature.steps.join('\n'),
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = (field: keyof typeof values) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }))
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
      <div className="grid grid-cols-[1fr_6rem] gap-3">
        <Field label="Category" error={errors['category']}>
          {(props) => (
            <TextInput
              {...props}
              value={values.category}
              onChange={(event) => set('category')(event.target.value)}
            />
          )}
        </Field>
        <Field label="Priority" error={errors['priority']}>
          {(props) => (
            <TextInput
              {...props}
              type="number"
              value={values.priority}
              onChange={(event) => set('priority')(event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label="Name" error={errors['name']}>
        {(props) => (
          <TextInput
            {...props}
            value={values.name}
            onChange={(event) => set('name')(event.target.value)}
          />
        )}
      </Field>
      <Field label="Description" error={errors['description']}>
        {(props) => (
          <textarea
            {...props}
            rows={4}
            className={`${inputClass} h-auto py-1.5`}
            value={values.description}
            onChange={(event) => set('description')(event.target.value)}
          />
        )}
      </Field>
      <Field label="Steps" hint="One per line." error={errors['steps']}>
        {(props) => (
          <textarea
            {...props}
            rows={4}
            className={`${inputClass} h-auto py-1.5`}
            value={values.steps}
            onChange={(event) => set('steps')(event.target.value)}
          />
        )}
      </Field>
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
