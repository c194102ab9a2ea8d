// The sandbox kinds on their own, without zod, for `autocoder status` (which must start fast).
/** Where a run's agents run: `SandboxKindName` in events.ts is the schema of these values. */
export const SANDBOX_KINDS = ['bubblewrap', 'seatbelt', 'unsandboxed'] as const
