import { Graph, layout } from '@dagrejs/dagre'

import type { BoardFeature } from '../../api/board-model.js'

export const NODE_WIDTH = 220
export const NODE_HEIGHT = 64

export type Direction = 'LR' | 'TB'

/** The part of the board the layout depends on: which features exist and who waits for whom. */
export function structureKey(features: readonly BoardFeature[]): string {
  return features.map((feature) => `${feature.id}:${feature.dependencies.join(',')}`).join(';')
}

/** Node positions from dagre (top-left corners), dependencies before dependents. */
export function layoutGraph(
  features: readonly BoardFeature[],
  direction: Direction,
): Map<number, { x: number; y: number }> {
  const graph = new Graph()
  graph.setGraph({ rankdir: direction, nodesep: 24, ranksep: 80, marginx: 20, marginy: 20 })
  graph.setDefaultEdgeLabel(() => ({}))
  const ids = new Set(features.map((feature) => feature.id))
  for (const feature of features)
    graph.setNode(String(feature.id), { width: NODE_WIDTH, height: NODE_HEIGHT })
  for (const feature of features)
    for (const dep of feature.dependencies)
      if (ids.has(dep)) graph.setEdge(String(dep), String(feature.id))
  layout(graph)
  const positions = new Map<number, { x: number; y: number }>()
  for (const feature of features) {
    const node = graph.node(String(feature.id)) as { x: number; y: number } | undefined
    if (node) positions.set(feature.id, { x: node.x - NODE_WIDTH / 2, y: node.y - NODE_HEIGHT / 2 })
  }
  return positions
}

/** An edge blocks when its dependency does not pass yet and its dependent waits for it. */
export function isBlockingEdge(
  dependency: BoardFeature | undefined,
  dependent: BoardFeature,
): boolean {
  return (
    dependency?.state !== 'passing' &&
    dependent.state !== 'passing' &&
    dependent.state !== 'skipped'
  )
}
