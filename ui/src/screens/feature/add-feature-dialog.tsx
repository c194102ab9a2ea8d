import { NewFeature } from '@core/feature.js'
import type { FormEvent } from 'react'
import { useState } from 'react'
import { useLocation, useMatch, useNavigate } from 'react-router'

import { useFeatureMutations } from '../../api/mutations.js'
import { Button } from '../../components/button.js'
import { Modal } from '../../components/dialog.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Field, TextInput } from '../../components/field.js'
import { fieldErrors } from '../../lib/zod-errors.js'
import { viewPath } from './feature-dialog.js'
import { FeatureFields, stepsOf } from './feature-fields.js'

const EMPTY = { category: '', name: '', description: '', steps: '', dependencies: '', priority: '' }

/** Dependencies typed as "3, #5 7" -> [3, 5, 7]; anything else is left for the schema to refuse. */
export function dependencyIds(text: string): unknown[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.replace(/^#/, ''))
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

/** The add-feature form (`<view>/new-feature`), validated with the API's `NewFeature` schema. */
export function AddFeatureDialog({ project }: { project: string }) {
  const match = useMatch('/projects/:project/:view/new-feature')
  const navigate = useNavigate()
  const location = useLocation()
  const { create } = useFeatureMutations(project)
  const [values, setValues] = useState(EMPTY)
  const [errors, setErrors] = useState<Record<string, string>>({})
  if (!match) return null
  const close = (): void => {
    setValues(EMPTY)
    setErrors({})
    create.reset()
    void navigate(viewPath(location.pathname))
  }
  const set = (field: keyof typeof EMPTY) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }))
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const parsed = NewFeature.safeParse({
      category: values.category,
      name: values.name,
      description: values.description,
      steps: stepsOf(values.steps),
      dependencies: dependencyIds(values.dependencies),
      ...(values.priority.trim() === '' ? {} : { priority: Number(values.priority) }),
    })
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error))
      return
    }
    setErrors({})
    create.mutate(parsed.data, {
      onSuccess: (feature) => {
        setValues(EMPTY)
        void navigate(`${viewPath(location.pathname)}/features/${feature.id}`)
      },
    })
  }
  return (
    <Modal
      open
      onOpenChange={(open) => !open && close()}
      title="Add a feature"
      description="It joins the queue as pending."
    >
      <form onSubmit={submit} noValidate className="flex flex-col gap-3">
        <FeatureFields
          values={values}
          errors={errors}
          onChange={(field, value) => set(field)(value)}
          priorityHint="empty: last"
        />
        <Field label="Depends on" hint="Feature numbers, e.g. 3, 7" error={errors['dependencies']}>
          {(props) => (
            <TextInput
              {...props}
              value={values.dependencies}
              onChange={(event) => set('dependencies')(event.target.value)}
            />
          )}
        </Field>
        {create.error && <ErrorPanel compact error={create.error} />}
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            Add feature
          </Button>
        </div>
      </form>
    </Modal>
  )
}
