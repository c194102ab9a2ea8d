import { SettingsPatch } from '@core/api/index.js'
import type { FormEvent, ReactNode } from 'react'
import { useEffect, useState } from 'react'

import { useSettingsPatch } from '../../api/mutations.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Field, TextInput } from '../../components/field.js'
import { fieldErrors } from '../../lib/zod-errors.js'

export interface SettingField {
  key: keyof SettingsPatch
  label: string
  /** `list`: words separated by spaces or commas, stored as an array. */
  kind: 'text' | 'number' | 'boolean' | 'secret' | 'list'
  hint?: string
}

type Values = Record<string, string>

/** A stored setting as a form shows it: lists as words, nothing for unset. */
export function shown(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map(shown).join(' ')
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

function initial(fields: readonly SettingField[], stored: Record<string, unknown>): Values {
  return Object.fromEntries(
    fields.map((field) => [field.key, field.kind === 'secret' ? '' : shown(stored[field.key])]),
  )
}

/** Form values to a patch of what changed: empty removes the setting (the next level applies). */
export function patchOf(
  fields: readonly SettingField[],
  values: Values,
  stored: Record<string, unknown>,
): unknown {
  const patch: Record<string, unknown> = {}
  for (const field of fields) {
    const text = (values[field.key] ?? '').trim()
    if (field.kind === 'secret') {
      if (text !== '') patch[field.key] = text
      continue
    }
    if (text === shown(stored[field.key])) continue
    patch[field.key] =
      text === ''
        ? null
        : field.kind === 'number'
          ? Number(text)
          : field.kind === 'boolean'
            ? text === 'true'
            : field.kind === 'list'
              ? text.split(/[\s,]+/).filter((word) => word !== '')
              : text
  }
  return patch
}

function SecretInput({
  field,
  isSet,
  value,
  onChange,
  onRemove,
  props,
}: {
  field: SettingField
  isSet: boolean
  value: string
  onChange: (value: string) => void
  onRemove: () => void
  props: { id: string }
}) {
  return (
    <div className="flex gap-2">
      <TextInput
        {...props}
        type="password"
        autoComplete="off"
        className="flex-1"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={`secret-${field.key}`}
        data-set={isSet}
      />
      {isSet && (
        <Button size="sm" className="h-9" onClick={onRemove}>
          Remove
        </Button>
      )}
    </div>
  )
}

/**
 * One group of settings at one level (a project's or the global ones), checked with the API's
 * schema before it is sent. Secrets are write-only: the form says whether one is set, never what.
 */
export function SettingsForm({
  title,
  description,
  project,
  fields,
  stored,
  secrets,
  inherited,
}: {
  title: string
  description?: ReactNode
  /** null: the global settings. */
  project: string | null
  fields: readonly SettingField[]
  stored: Record<string, unknown>
  secrets?: Record<string, { set: boolean }>
  /** What applies when a field is empty, shown as its placeholder. */
  inherited?: Record<string, string>
}) {
  const save = useSettingsPatch(project)
  const [values, setValues] = useState<Values>(() => initial(fields, stored))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saved, setSaved] = useState(false)
  const [dirty, setDirty] = useState(false)
  // Settings changed elsewhere show up here, unless the person is editing.
  const storedKey = JSON.stringify(stored)
  useEffect(() => {
    if (!dirty) setValues(initial(fields, JSON.parse(storedKey) as Record<string, unknown>))
  }, [storedKey, dirty, fields])
  const set = (key: string, value: string): void => {
    setSaved(false)
    setDirty(true)
    setValues((current) => ({ ...current, [key]: value }))
  }
  const clearSecrets = (): void =>
    setValues((current) => ({
      ...current,
      ...Object.fromEntries(
        fields.filter((field) => field.kind === 'secret').map((field) => [field.key, '']),
      ),
    }))
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const parsed = SettingsPatch.safeParse(patchOf(fields, values, stored))
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error))
      return
    }
    setErrors({})
    save.mutate(parsed.data, {
      onSuccess: () => {
        setSaved(true)
        setDirty(false)
        clearSecrets()
      },
    })
  }
  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
      aria-label={title}
    >
      <div>
        <h2 className="font-semibold">{title}</h2>
        {description && <p className="text-sm text-muted">{description}</p>}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        {fields.map((field) => {
          const placeholder = inherited?.[field.key] ?? ''
          const isSet = secrets?.[field.key]?.set === true
          const hint =
            field.kind === 'secret'
              ? isSet
                ? 'Set. Type a new one to replace it.'
                : 'Not set.'
              : field.hint
          return (
            <Field key={field.key} label={field.label} hint={hint} error={errors[field.key]}>
              {(props) =>
                field.kind === 'secret' ? (
                  <SecretInput
                    field={field}
                    isSet={isSet}
                    value={values[field.key] ?? ''}
                    onChange={(value) => set(field.key, value)}
                    onRemove={() => save.mutate({ [field.key]: null })}
                    props={props}
                  />
                ) : field.kind === 'boolean' ? (
                  <select
                    {...props}
                    value={values[field.key] ?? ''}
                    onChange={(event) => set(field.key, event.target.value)}
                    className="h-9 rounded-md border border-border bg-surface px-2 text-sm"
                  >
                    <option value="">{placeholder ? `inherit (${placeholder})` : 'not set'}</option>
                    <option value="true">on</option>
                    <option value="false">off</option>
                  </select>
                ) : (
                  <TextInput
                    {...props}
                    type={field.kind === 'number' ? 'number' : 'text'}
                    placeholder={placeholder}
                    value={values[field.key] ?? ''}
                    onChange={(event) => set(field.key, event.target.value)}
                  />
                )
              }
            </Field>
          )
        })}
      </div>
      {save.error && <ErrorPanel compact error={save.error} />}
      <div className="flex items-center justify-end gap-2">
        {saved && (
          <span role="status" className="text-sm text-ok">
            Saved.
          </span>
        )}
        <Button type="submit" variant="primary" size="sm" disabled={save.isPending}>
          Save
        </Button>
      </div>
    </form>
  )
}
