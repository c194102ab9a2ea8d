import type { FeatureDetail } from '@core/api/index.js'
import { useState } from 'react'

import { Button } from '../../components/button.js'
import { DependencyEditor } from './dependency-editor.js'
import { FeatureEditForm } from './feature-edit-form.js'

function Section({
  title,
  children,
  action,
}: {
  title: string
  children: React.ReactNode
  action?: React.ReactNode
}) {
  return (
    <section className="flex flex-col gap-2">
      <div className="flex items-center gap-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        <span className="ml-auto">{action}</span>
      </div>
      {children}
    </section>
  )
}

/** Description, steps and dependencies, each editable in place. */
export function FeatureSpec({ project, detail }: { project: string; detail: FeatureDetail }) {
  const [editing, setEditing] = useState(false)
  const { feature } = detail
  return (
    <>
      {editing ? (
        <FeatureEditForm project={project} feature={feature} onDone={() => setEditing(false)} />
      ) : (
        <Section
          title="Description"
          action={
            <Button size="sm" onClick={() => setEditing(true)}>
              Edit
            </Button>
          }
        >
          <p className="text-sm whitespace-pre-wrap">
            {feature.description || <span className="text-muted">No description.</span>}
          </p>
          {feature.steps.length > 0 && (
            <>
              <h4 className="text-xs font-semibold text-muted uppercase">Steps</h4>
              <ol className="list-decimal space-y-1 pl-5 text-sm">
                {feature.steps.map((step, index) => (
                  <li key={index}>{step}</li>
                ))}
              </ol>
            </>
          )}
        </Section>
      )}
      <Section title="Dependencies">
        <DependencyEditor project={project} feature={feature} />
      </Section>
    </>
  )
}
