// The demo's limits, defaults and scenario names, without the catalog: `autocoder demo --help`
// shows them and loads nothing else.
/** The largest board `--features` may ask for. */
export const MAX_DEMO_FEATURES = 200
/** The seed of the catalog when none is given. */
export const DEFAULT_DEMO_SEED = 1
/** Features on a new demo board when none are asked for. */
export const DEFAULT_DEMO_FEATURES = 5
/** The model's time per turn in `autocoder demo` when none is asked for: a realistic pace. */
export const DEFAULT_DEMO_LATENCY_MS = 1500
/**
 * The scripted demo's scenarios: the cases a real run meets, each selectable by name so the CLI
 * and the UI can be shown (and tested) on one of them.
 */
export const DEMO_SCENARIOS = {
  standard: 'every feature is built, tested, merged and verified; one forbidden command is refused',
  'needs-human':
    'an agent asks a person about one feature (needs_human); once answered (autocoder answer, the API or the UI) the feature is built',
  'merge-conflict':
    'the first two agents working side by side both add an export to src/index.mjs; the second merge conflicts and its feature is redone on the merged branch (needs --concurrency 2 or more)',
  'failing-check':
    'an agent reports a feature passing without running its test; the merge check fails, the feature goes failing and the next agent fixes it',
  'rate-limit':
    'the model API answers 429 with retry-after twice; the agent pauses and then goes on',
  all: 'all of the above in one run (needs --concurrency 2 or more)',
} as const
