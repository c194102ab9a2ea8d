// The offline demo: a seeded catalog of small real features, scenarios and the scripted model
// that plays them (`autocoder demo`, UI tests). The only product code that talks to scripted-model.
export { demoCatalog } from './demo-catalog.js'
export {
  DEFAULT_DEMO_FEATURES,
  DEFAULT_DEMO_LATENCY_MS,
  DEFAULT_DEMO_SEED,
  DEMO_SCENARIOS,
  MAX_DEMO_FEATURES,
} from './demo-options.js'
export type { DemoFeature } from './demo-catalog.js'
export { DemoScenarioName, demoScenarioProblem } from './demo-cases.js'
export { DEMO_FORBIDDEN_COMMAND } from './demo-scenario.js'
export {
  DEMO_CHECK_COMMAND,
  DEMO_LAUNCHER_OPTIONS,
  DEMO_MODEL,
  DemoConfig,
  prepareDemoProject,
  readDemoSummary,
  startDemoModel,
} from './demo.js'
export type { DemoModel, DemoModelOptions, DemoProject, DemoSummary } from './demo.js'
