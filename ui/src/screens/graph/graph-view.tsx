import '@xyflow/react/dist/style.css'

import { Maximize } from 'lucide-react'

import { viewGraphStatus } from '@core/lifecycle.js'
import type { Edge, Node, ReactFlowInstance, Viewport } from '@xyflow/react'
import {
  Background,
  ControlButton,
  Controls,
  getViewportForBounds,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
} from '@xyflow/react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useNavigate, useParams } from 'react-router'

import { useBoard } from '../../api/queries.js'
import { useTheme } from '../../app/theme.js'
import { Button } from '../../components/button.js'
import { ErrorPanel } from '../../components/error-panel.js'
import { Loading } from '../../components/spinner.js'
import { cn } from '../../lib/cn.js'
import type { FeatureNodeData } from './feature-node.js'
import { FeatureNode, STATUS_STYLE } from './feature-node.js'
import type { Direction } from './graph-model.js'
import {
  isBlockingEdge,
  layoutGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
  structureKey,
} from './graph-model.js'

const nodeTypes = { feature: FeatureNode }

function handlesFor(direction: Direction): NonNullable<Node['handles']> {
  return direction === 'LR'
    ? [
        { type: 'target', position: Position.Left, x: 0, y: NODE_HEIGHT / 2, width: 1, height: 1 },
        {
          type: 'source',
          position: Position.Right,
          x: NODE_WIDTH,
          y: NODE_HEIGHT / 2,
          width: 1,
          height: 1,
        },
      ]
    : [
        { type: 'target', position: Position.Top, x: NODE_WIDTH / 2, y: 0, width: 1, height: 1 },
        {
          type: 'source',
          position: Position.Bottom,
          x: NODE_WIDTH / 2,
          y: NODE_HEIGHT,
          width: 1,
          height: 1,
        },
      ]
}
const MINIMAP_COLOUR: Record<FeatureNodeData['status'], string> = {
  done: 'var(--state-passing)',
  blocked: 'var(--state-blocked)',
  in_progress: 'var(--state-progress)',
  needs_human: 'var(--state-human)',
  failing: 'var(--state-failing)',
  pending: 'var(--state-pending)',
  skipped: 'var(--border)',
}
const LEGEND = [
  'done',
  'in_progress',
  'pending',
  'blocked',
  'needs_human',
  'failing',
  'skipped',
] as const

/** Below this zoom a node's name is too small to read (14 px text at 0.6 is about 8 px). */
const READABLE_ZOOM = 0.6
const PADDING = 0.1

/**
 * The view of every node. React Flow's own fit waits until every node was drawn and measured,
 * which never happens when only visible nodes are drawn; these sizes are known.
 */
function fitAll(
  flow: ReactFlowInstance<Node<FeatureNodeData>>,
  nodes: ReadonlyArray<Node<FeatureNodeData>>,
  container: HTMLElement,
): Viewport {
  const box = flow.getNodesBounds([...nodes])
  return getViewportForBounds(box, container.clientWidth, container.clientHeight, 0.05, 1, PADDING)
}

/**
 * The first view: the whole graph when it fits at a readable size, else its start (the first
 * rank, where the work begins) at the smallest readable zoom; "Fit view" and the minimap show
 * the rest.
 */
function initialView(
  flow: ReactFlowInstance<Node<FeatureNodeData>>,
  nodes: ReadonlyArray<Node<FeatureNodeData>>,
  direction: Direction,
  container: HTMLElement,
): Viewport {
  const fit = fitAll(flow, nodes, container)
  if (fit.zoom >= READABLE_ZOOM) return fit
  const box = flow.getNodesBounds([...nodes])
  const zoom = READABLE_ZOOM
  const margin = 16
  const lr = direction === 'LR'
  // The first rank's middle, across the direction of the flow.
  const rank = nodes.filter((node) => (lr ? node.position.x === box.x : node.position.y === box.y))
  const across = rank.map((node) => (lr ? node.position.y : node.position.x))
  const middle = (Math.min(...across) + Math.max(...across) + (lr ? NODE_HEIGHT : NODE_WIDTH)) / 2
  return lr
    ? { x: margin - box.x * zoom, y: container.clientHeight / 2 - middle * zoom, zoom }
    : { x: container.clientWidth / 2 - middle * zoom, y: margin - box.y * zoom, zoom }
}

/** The dependency graph: status colours, blocking edges highlighted, click a node to open it. */
export default function GraphView() {
  const project = useParams()['project'] ?? ''
  const board = useBoard(project)
  const navigate = useNavigate()
  const { dark } = useTheme()
  const [direction, setDirection] = useState<Direction>('LR')
  const [showSkipped, setShowSkipped] = useState(false)
  const container = useRef<HTMLDivElement>(null)
  const flow = useRef<ReactFlowInstance<Node<FeatureNodeData>> | null>(null)
  const features = useMemo(
    () => (board.features ?? []).filter((feature) => showSkipped || feature.state !== 'skipped'),
    [board.features, showSkipped],
  )
  const key = structureKey(features)
  // Positions change only when features or dependencies do, never on a state change.
  const positions = useMemo(() => layoutGraph(features, direction), [key, direction])
  const nodes = useMemo<Array<Node<FeatureNodeData>>>(
    () =>
      features.map((feature) => ({
        id: String(feature.id),
        type: 'feature',
        position: positions.get(feature.id) ?? { x: 0, y: 0 },
        data: { feature, status: viewGraphStatus(feature), horizontal: direction === 'LR' },
        draggable: false,
        connectable: false,
        // Known sizes and handles: edges draw before (and without) measuring the DOM.
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        handles: handlesFor(direction),
      })),
    [features, positions, direction],
  )
  const edges = useMemo<Edge[]>(() => {
    const byId = new Map(features.map((feature) => [feature.id, feature]))
    return features.flatMap((feature) =>
      feature.dependencies
        .filter((dep) => byId.has(dep))
        .map((dep) => {
          const blocking = isBlockingEdge(byId.get(dep), feature)
          const colour = blocking ? 'var(--state-blocked)' : 'var(--border)'
          return {
            id: `${dep}-${feature.id}`,
            source: String(dep),
            target: String(feature.id),
            className: blocking ? 'blocking' : 'waiting',
            style: { stroke: colour, strokeWidth: blocking ? 2 : 1.25 },
            markerEnd: { type: MarkerType.ArrowClosed, color: colour },
          }
        }),
    )
  }, [features])
  // A new direction moves every node: show its start again (the first view comes from onInit).
  useEffect(() => {
    if (flow.current && container.current)
      void flow.current.setViewport(initialView(flow.current, nodes, direction, container.current))
  }, [direction])
  if (board.error && !board.features)
    return <ErrorPanel className="m-4" error={board.error} retry={board.refetch} />
  if (!board.features) return <Loading label="Loading the graph…" />
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2 p-3">
      <div className="flex flex-wrap items-center gap-3 text-xs">
        <ul className="flex flex-wrap items-center gap-3" aria-label="Legend">
          {LEGEND.map((status) => (
            <li key={status} className="flex items-center gap-1">
              <span
                aria-hidden
                className={cn(
                  'inline-block h-3 w-5 rounded-sm border-2 bg-surface',
                  STATUS_STYLE[status].className,
                )}
              />
              {STATUS_STYLE[status].label}
            </li>
          ))}
          <li className="flex items-center gap-1">
            <span aria-hidden className="inline-block h-0.5 w-5 bg-blocked" /> blocking edge
          </li>
        </ul>
        <span className="ml-auto flex gap-2">
          <Button
            size="sm"
            aria-pressed={showSkipped}
            onClick={() => setShowSkipped((shown) => !shown)}
          >
            {showSkipped ? 'Hide' : 'Show'} skipped
          </Button>
          <Button
            size="sm"
            onClick={() => setDirection((current) => (current === 'LR' ? 'TB' : 'LR'))}
          >
            {direction === 'LR' ? 'Top to bottom' : 'Left to right'}
          </Button>
        </span>
      </div>
      <div
        ref={container}
        className="min-h-0 flex-1 rounded-lg border border-border bg-surface"
        data-testid="graph"
      >
        {features.length === 0 ? (
          <p className="p-8 text-center text-sm text-muted">No features to draw yet.</p>
        ) : (
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            colorMode={dark ? 'dark' : 'light'}
            onInit={(instance) => {
              flow.current = instance
              if (container.current)
                void instance.setViewport(
                  initialView(instance, nodes, direction, container.current),
                )
            }}
            minZoom={0.05}
            maxZoom={2}
            nodesDraggable={false}
            nodesConnectable={false}
            nodesFocusable={false}
            edgesFocusable={false}
            onlyRenderVisibleElements
            onNodeClick={(_, node) => void navigate(`features/${node.id}`)}
            proOptions={{ hideAttribution: true }}
            aria-label="Dependency graph"
          >
            <Background />
            <Controls showInteractive={false} showFitView={false}>
              <ControlButton
                title="Fit view"
                aria-label="Fit view"
                onClick={() => {
                  if (flow.current && container.current)
                    void flow.current.setViewport(fitAll(flow.current, nodes, container.current))
                }}
              >
                <Maximize aria-hidden />
              </ControlButton>
            </Controls>
            <MiniMap
              pannable
              zoomable
              ariaLabel="Overview of the graph"
              nodeColor={(node) => MINIMAP_COLOUR[(node.data as FeatureNodeData).status]}
            />
          </ReactFlow>
        )}
      </div>
    </div>
  )
}
