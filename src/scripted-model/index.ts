export { startScriptedModel } from './server.js'
export type { RequestView, ScriptedModel, ScriptedModelOptions } from './server.js'
export { loadScenarioDir, loadScenarioFile, parseScenario } from './load-scenario.js'
export type { ScenarioError, ScenarioErrorCode } from './load-scenario.js'
export type { DynamicScenario, Scenario } from './plan-turn.js'
export type {
  ContentBlock,
  Fault,
  ReplyTurn,
  ScriptedScenario,
  Step,
  StopReason,
  Usage,
} from './scenario-schema.js'
export type { ScriptContext, ToolResultSeen } from './model-request.js'
export type { Outcome, RecordedRequest, RequestKind, ScriptedModelStats } from './record.js'
