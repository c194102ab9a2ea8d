import { posix } from 'node:path'

import { z } from 'zod'

import type { PolicyDecision, PolicyScope } from './decide-bash.js'
import { checkSensitivePath, isInside, protectedArea, resolveLexically } from './paths.js'

/** Claude Code's built-in file tools and the input field that names the path each one touches. */
const FILE_TOOLS: Record<string, { field: string; writes: boolean; optional: boolean }> = {
  Read: { field: 'file_path', writes: false, optional: false },
  Write: { field: 'file_path', writes: true, optional: false },
  Edit: { field: 'file_path', writes: true, optional: false },
  MultiEdit: { field: 'file_path', writes: true, optional: false },
  NotebookEdit: { field: 'notebook_path', writes: true, optional: false },
  NotebookRead: { field: 'notebook_path', writes: false, optional: false },
  Glob: { field: 'path', writes: false, optional: true },
  Grep: { field: 'path', writes: false, optional: true },
  LS: { field: 'path', writes: false, optional: false },
}

const ToolInput = z.record(z.string(), z.unknown())

/** True for the tools `decideFileTool` confines. */
export function isFileTool(toolName: string): boolean {
  return toolName in FILE_TOOLS
}

/**
 * Confines Read/Write/Edit/MultiEdit/NotebookEdit/Glob/Grep/LS to the agent's cwd and the
 * project; reads may also use `readOnlyRoots`. Credentials outside the roots are never readable.
 * Other tools are not file tools and are allowed here.
 */
export function decideFileTool(
  toolName: string,
  input: unknown,
  scope: PolicyScope,
): PolicyDecision {
  const tool = FILE_TOOLS[toolName]
  if (!tool) return decision(true, `${toolName} is not a file tool`, toolName)
  const parsed = ToolInput.safeParse(input)
  if (!parsed.success) return decision(false, `${toolName}: the input is not an object`, toolName)
  const value = parsed.data[tool.field]
  const paths: string[] = []
  if (typeof value === 'string' && value !== '') paths.push(value)
  else if (value !== undefined || !tool.optional)
    return decision(false, `${toolName}: ${tool.field} must be a path`, toolName)
  const pattern = parsed.data['pattern']
  const filter = parsed.data['glob']
  for (const glob of [toolName === 'Glob' ? pattern : undefined, filter]) {
    if (typeof glob === 'string' && /(^|\/)\.\.(\/|$)/.test(glob)) {
      return decision(
        false,
        `${toolName} pattern ${glob} climbs out with ..; search from a path inside the project`,
        toolName,
      )
    }
  }
  if (toolName === 'Glob' && typeof parsed.data['pattern'] === 'string') {
    paths.push(globBase(parsed.data['pattern'], typeof value === 'string' ? value : scope.cwd))
  }
  for (const path of paths) {
    const reason = checkToolPath(path, tool.writes, scope)
    if (reason) return decision(false, `${toolName} ${path}: ${reason}`, toolName)
  }
  return decision(
    true,
    `${toolName}: ${paths.length === 0 ? 'the working directory' : paths.join(', ')} is inside the allowed directories`,
    toolName,
  )
}

function checkToolPath(path: string, writes: boolean, scope: PolicyScope): string | null {
  const resolvePath = scope.resolvePath ?? resolveLexically
  const home = scope.homeDir
  const expanded =
    path === '~' || path.startsWith('~/') ? (home ? home + path.slice(1) : null) : path
  if (expanded === null) return 'refers to the home directory'
  const real = resolvePath(expanded.startsWith('/') ? expanded : `${scope.cwd}/${expanded}`)
  const writeRoots = [scope.cwd, scope.projectDir].map((root) => resolvePath(posix.resolve(root)))
  const readRoots = (scope.readOnlyRoots ?? []).map((root) => resolvePath(posix.resolve(root)))
  const roots = writes ? writeRoots : [...writeRoots, ...readRoots]
  if (!roots.some((root) => isInside(real, root))) {
    return `resolves to ${real}, outside ${writes ? 'the directories it may write' : 'the directories it may read'} (${[...new Set(roots)].join(', ')})`
  }
  const guarded = writes ? protectedArea(real, writeRoots) : null
  if (guarded) return `is inside ${guarded}, which agents may not change`
  return checkSensitivePath(real, {
    bases: [scope.cwd],
    writeRoots: writeRoots,
    homeDir: home,
    resolvePath,
  })
}

/** The directory part of a glob pattern before its first wildcard, joined to the search path. */
function globBase(pattern: string, path: string): string {
  const firstWildcard = pattern.search(/[*?[{]/)
  const fixed = firstWildcard === -1 ? pattern : pattern.slice(0, firstWildcard)
  const dir = fixed.includes('/') ? fixed.slice(0, fixed.lastIndexOf('/') + 1) : ''
  if (dir.startsWith('/')) return dir
  return `${path}/${dir}`
}

function decision(allowed: boolean, reason: string, tool: string): PolicyDecision {
  return { allowed, reason, commands: [tool], flags: [] }
}
