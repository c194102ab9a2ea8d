export { findProgram } from './find-tools.js'
export { npmRegistryHost } from './npm-registry.js'
export { openSandbox } from './open-sandbox.js'
export { probeSandbox } from './probe.js'
export { shellQuote } from './spec.js'
export { SANDBOX_ERROR_CODES } from './types.js'
export type {
  OpenSandboxOptions,
  Sandbox,
  SandboxError,
  SandboxErrorCode,
  SandboxKind,
  SandboxProbe,
  SandboxProbeCheck,
  SandboxSpawnOptions,
  SandboxSpec,
} from './types.js'
