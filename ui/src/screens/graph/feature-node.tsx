import type { NodeProps } from '@xyflow/react'
import { Handle, Position } from '@xyflow/react'
import { memo } from 'react'
import { Link } from 'react-router'

import type { BoardFeature } from '../../api/board-model.js'
import { cn } from '../../lib/cn.js'
import type { GraphStatus } from '@core/lifecycle.js'
import { NODE_HEIGHT, NODE_WIDTH } from './graph-model.js'

export const STATUS_STYLE: Record<GraphStatus, { label: string; className: string }> = {
  done: { label: 'Passing', className: 'border-passing' },
  blocked: { label: 'Blocked', className: 'border-blocked border-dashed' },
  in_progress: { label: 'In progress', className: 'border-progress' },
  needs_human: { label: 'Needs human', className: 'border-human' },
  failing: { label: 'Failing', className: 'border-failing' },
  pending: { label: 'Ready', className: 'border-pending' },
  skipped: { label: 'Skipped', className: 'border-skipped opacity-60' },
}

export interface FeatureNodeData extends Record<string, unknown> {
  feature: BoardFeature
  status: GraphStatus
  horizontal: boolean
}

/** A feature on the graph: number, name, status; a link opens its detail. */
export const FeatureNode = memo(function FeatureNode({
  data,
}: NodeProps & { data: FeatureNodeData }) {
  const { feature, status, horizontal } = data
  const style = STATUS_STYLE[status]
  return (
    <div
      data-testid="graph-node"
      data-feature-id={feature.id}
      data-status={status}
      className={cn(
        'flex flex-col justify-center rounded-md border-2 bg-surface px-2 text-left',
        style.className,
      )}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
    >
      <Handle
        type="target"
        position={horizontal ? Position.Left : Position.Top}
        isConnectable={false}
      />
      <Link to={`features/${feature.id}`} className="truncate text-sm font-medium hover:underline">
        <span className="text-muted">#{feature.id}</span> {feature.name}
      </Link>
      <span className="truncate text-xs text-muted">
        {style.label}
        {feature.heldBy ? ` · ${feature.heldBy}` : ''} · {feature.category}
      </span>
      <Handle
        type="source"
        position={horizontal ? Position.Right : Position.Bottom}
        isConnectable={false}
      />
    </div>
  )
})
