import { Field, inputClass, TextInput } from '../../components/field.js'

/** What the add and edit forms edit, as typed (strings; parsed with the API schema on submit). */
export interface FeatureFormValues {
  category: string
  name: string
  priority: string
  description: string
  steps: string
}

/** Steps as the forms edit them: one per line, blank lines dropped. */
export function stepsOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

function Area({
  label,
  hint,
  error,
  value,
  onChange,
}: {
  label: string
  hint?: string
  error: string | undefined
  value: string
  onChange: (value: string) => void
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(props) => (
        <textarea
          {...props}
          rows={3}
          className={`${inputClass} h-auto py-1.5`}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  )
}

/** Category, priority, name, description and steps, each with its error in place. */
export function FeatureFields({
  values,
  errors,
  onChange,
  priorityHint,
}: {
  values: FeatureFormValues
  errors: Record<string, string>
  onChange: (field: keyof FeatureFormValues, value: string) => void
  priorityHint?: string
}) {
  return (
    <>
      <div className="grid grid-cols-[1fr_6rem] gap-3">
        <Field label="Category" error={errors['category']}>
          {(props) => (
            <TextInput
              {...props}
              value={values.category}
              onChange={(event) => onChange('category', event.target.value)}
            />
          )}
        </Field>
        <Field label="Priority" hint={priorityHint} error={errors['priority']}>
          {(props) => (
            <TextInput
              {...props}
              type="number"
              value={values.priority}
              onChange={(event) => onChange('priority', event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label="Name" error={errors['name']}>
        {(props) => (
          <TextInput
            {...props}
            value={values.name}
            onChange={(event) => onChange('name', event.target.value)}
          />
        )}
      </Field>
      <Area
        label="Description"
        error={errors['description']}
        value={values.description}
        onChange={(value) => onChange('description', value)}
      />
      <Area
        label="Steps"
        hint="One per line: how to check it works."
        error={errors['steps']}
        value={values.steps}
        onChange={(value) => onChange('steps', value)}
      />
    </>
  )
}
