import type { FeatureDetail } from '@core/api/index.js'
import { AnswerBody } from '@core/api/index.js'
import type { FormEvent } from 'react'
import { useId, useState } from 'react'
import { Link } from 'react-router'

import { useAnswer } from '../../api/mutations.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { inputClass } from '../../components/field.js'
import { formatAgo } from '../../lib/format.js'

function choicesOf(data: Record<string, unknown> | null | undefined): string[] {
  const value = data?.['choices']
  return Array.isArray(value)
    ? value.filter((choice): choice is string => typeof choice === 'string')
    : []
}

/** One open question: the agent's words and choices, answered in place. */
export function QuestionCard({
  project,
  detail,
  now,
}: {
  project: string
  detail: FeatureDetail
  now: number
}) {
  const answer = useAnswer(project)
  const [choice, setChoice] = useState<string | null>(null)
  const [text, setText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const id = useId()
  const { feature } = detail
  const question = [...detail.notes].reverse().find((note) => note.kind === 'question')
  const choices = choicesOf(question?.data)
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const reply = [choice, text.trim()].filter(Boolean).join('\n\n')
    const parsed = AnswerBody.safeParse({ featureId: feature.id, text: reply })
    if (!parsed.success) {
      setProblem(
        choices.length > 0 ? 'Pick a choice or write an answer.' : 'Write an answer first.',
      )
      return
    }
    setProblem(null)
    answer.mutate(parsed.data)
  }
  return (
    <article
      aria-labelledby={`${id}-title`}
      data-testid="question"
      data-feature-id={feature.id}
      className="rounded-lg border border-human bg-surface p-4"
    >
      <header className="flex items-baseline gap-2">
        <h3 id={`${id}-title`} className="font-semibold">
          <Link to={`features/${feature.id}`} className="hover:underline">
            #{feature.id} {feature.name}
          </Link>
        </h3>
        {question && (
          <span className="ml-auto text-xs text-muted">
            {question.author}, {formatAgo(question.createdAt, now)}
          </span>
        )}
      </header>
      <p className="mt-2 text-sm whitespace-pre-wrap">
        {question?.text ?? 'The agent left no question text; see the feature notes.'}
      </p>
      <form onSubmit={submit} className="mt-3 flex flex-col gap-2" noValidate>
        {choices.length > 0 && (
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 text-xs font-medium text-muted">Choices</legend>
            {choices.map((option) => (
              <label key={option} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${id}-choice`}
                  value={option}
                  checked={choice === option}
                  onChange={() => setChoice(option)}
                />
                {option}
              </label>
            ))}
          </fieldset>
        )}
        <label htmlFor={`${id}-answer`} className="text-xs font-medium text-muted">
          {choices.length > 0 ? 'Anything to add (optional)' : 'Your answer'}
        </label>
        <textarea
          id={`${id}-answer`}
          rows={3}
          value={text}
          onChange={(event) => setText(event.target.value)}
          className={`${inputClass} h-auto py-1.5`}
        />
        {problem && (
          <p role="alert" className="text-xs text-danger">
            {problem}
          </p>
        )}
        {answer.error && <ErrorPanel compact error={answer.error} />}
        <div className="flex justify-end">
          <Button type="submit" variant="primary" size="sm" disabled={answer.isPending}>
            {answer.isPending ? 'Sending…' : 'Answer'}
          </Button>
        </div>
      </form>
    </article>
  )
}
