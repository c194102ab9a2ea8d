import { RunStartBody } from '@core/api/index.js'
import type { FormEvent } from 'react'
import { useState } from 'react'

import { useRunControl } from '../../api/mutations.js'
import { Button } from '../../components/button.js'
import { Modal } from '../../components/dialog.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Field, TextInput } from '../../components/field.js'
import { fieldErrors } from '../../lib/zod-errors.js'

interface FormValues {
  concurrency: string
  testingAgents: string
  batchSize: string
  model: string
  yolo: boolean
  maxCostUsd: string
  maxHours: string
}

const EMPTY: FormValues = {
  concurrency: '',
  testingAgents: '',
  batchSize: '',
  model: '',
  yolo: false,
  maxCostUsd: '',
  maxHours: '',
}

const number = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text))

/** The request body; empty fields fall back to the project's and global settings. */
export function startBody(values: FormValues): unknown {
  const body: Record<string, unknown> = {
    concurrency: number(values.concurrency),
    testingAgents: number(values.testingAgents),
    batchSize: number(values.batchSize),
    model: values.model.trim() === '' ? undefined : values.model.trim(),
    maxCostUsd: number(values.maxCostUsd),
    maxHours: number(values.maxHours),
    ...(values.yolo ? { yolo: true } : {}),
  }
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined))
}

/** Start a run with concurrency, testing agents, batch size, model, yolo and budgets. */
export function StartRunDialog({
  project,
  open,
  onOpenChange,
}: {
  project: string
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const { start } = useRunControl(project)
  const [values, setValues] = useState<FormValues>(EMPTY)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = (field: keyof FormValues) => (value: string | boolean) =>
    setValues((current) => ({ ...current, [field]: value }))
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const parsed = RunStartBody.safeParse(startBody(values))
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error))
      return
    }
    setErrors({})
    start.mutate(parsed.data, { onSuccess: () => onOpenChange(false) })
  }
  const numeric = (
    field: keyof FormValues,
    label: string,
    hint: string,
    min: number,
    max: number,
    step = 1,
  ) => (
    <Field label={label} hint={hint} error={errors[field]}>
      {(props) => (
        <TextInput
          {...props}
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step}
          placeholder="default"
          value={values[field] as string}
          onChange={(event) => set(field)(event.target.value)}
        />
      )}
    </Field>
  )
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Start a run"
      description="Empty fields use the project's settings, then the global ones."
    >
      <form onSubmit={submit} noValidate className="grid grid-cols-2 gap-4">
        {numeric('concurrency', 'Coding agents', '1 to 10 at once', 1, 10)}
        {numeric('testingAgents', 'Testing agents', '0 to 3 at once', 0, 3)}
        {numeric('batchSize', 'Batch size', 'features per coding agent, 1 to 3', 1, 3)}
        <Field label="Model" hint="for every agent of this run" error={errors['model']}>
          {(props) => (
            <TextInput
              {...props}
              placeholder="per-role settings"
              value={values.model}
              onChange={(event) => set('model')(event.target.value)}
            />
          )}
        </Field>
        {numeric(
          'maxCostUsd',
          'Budget (USD)',
          'drain when the run spent this much',
          0.01,
          100_000,
          0.01,
        )}
        {numeric('maxHours', 'Time limit (hours)', 'drain after this long', 0.1, 720, 0.1)}
        <label className="col-span-2 flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-1"
            checked={values.yolo}
            onChange={(event) => set('yolo')(event.target.checked)}
          />
          <span>
            <span className="font-medium">YOLO mode</span>
            <span className="block text-xs text-muted">
              No testing agents and no browser checks: faster, less verified.
            </span>
          </span>
        </label>
        {start.error && <ErrorPanel className="col-span-2" error={start.error} />}
        <div className="col-span-2 flex justify-end gap-2">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={start.isPending}>
            {start.isPending ? 'Starting…' : 'Start run'}
          </Button>
        </div>
      </form>
    </Modal>
  )
}
