/** Query keys: one place, so socket events invalidate exactly what they change. */
export const keys = {
  projects: ['projects'] as const,
  setup: ['setup'] as const,
  globalSettings: ['settings'] as const,
  project: (project: string) => ['project', project] as const,
  live: (project: string) => ['project', project, 'live'] as const,
  connection: (project: string) => ['project', project, 'connection'] as const,
  features: (project: string) => ['project', project, 'features'] as const,
  feature: (project: string, id: number) => ['project', project, 'feature', id] as const,
  featureAll: (project: string) => ['project', project, 'feature'] as const,
  run: (project: string) => ['project', project, 'run'] as const,
  sessions: (project: string) => ['project', project, 'sessions'] as const,
  events: (project: string) => ['project', project, 'events'] as const,
  settings: (project: string) => ['project', project, 'settings'] as const,
}

/** `/api/projects/<name>` with the name encoded. */
export function projectPath(project: string, rest = ''): string {
  return `/api/projects/${encodeURIComponent(project)}${rest}`
}
