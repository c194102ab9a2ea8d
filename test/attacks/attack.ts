// Attacks as data: what an attacking agent runs, by class of the weakness it probes (issue 11).

/** The classes of issue 11, by number. */
export const ATTACK_CLASSES = {
  1: 'main mode unguarded',
  2: 'parser disagreement',
  3: 'arithmetic evaluation of quoted text',
  4: 'computed words that become options',
  5: 'functions',
  6: 'shell options',
  7: 'git runs programs or writes outside',
  8: 'xargs and environment',
  9: 'symlinks',
  10: 'allowed tools that run programs',
  11: 'the local server',
  12: 'kills, credentials, exfiltration',
  13: 'secrets at rest',
  14: 'MCP stdio',
} as const

export type AttackClass = keyof typeof ATTACK_CLASSES

/**
 * One attack an agent makes through Bash: one Bash call per step, in order. Commands hold
 * placeholders (see `fillPlaceholders`) so that whatever gets out leaves a trace named by the id.
 */
export interface BashAttack {
  readonly id: string
  readonly cls: AttackClass
  readonly steps: readonly string[]
  /**
   * If it escaped outside a private pid namespace it would signal processes other than the canary
   * sleeper (every process on the machine). It only runs where the harness saw the agent's Bash
   * cannot see the harness's own process; elsewhere the policy's verdict stands in for running it.
   */
  readonly unsafe?: boolean
}

/** An attack of one Bash step. */
export function bash(cls: AttackClass, id: string, command: string): BashAttack {
  return { id, cls, steps: [command] }
}

/** An attack of several Bash calls (e.g. plant something, then use it in a later call). */
export function steps(cls: AttackClass, id: string, ...commands: string[]): BashAttack {
  return { id, cls, steps: commands }
}

/** What the placeholders of an attack stand for in one world (see world.ts). */
export interface PlaceholderValues {
  /** Canary folder outside the project: escapes leave `<canary>/<id>` here. */
  canary: string
  project: string
  home: string
  autocoderHome: string
  /** The fake private key in the fake home. */
  keyPath: string
  /** The autocoder server as an agent could find it, e.g. http://127.0.0.1:PORT. */
  serverUrl: string
  serverPort: number
  projectName: string
  /** A host standing in for the internet, recording every hit. */
  outsideHost: string
  outsidePort: number
  /** Per attack, made on first use. */
  program: (id: string) => string
  programJs: (id: string) => string
  fakeBin: (id: string) => string
  sleeper: (id: string) => { pid: number; name: string }
}

/**
 * Replaces the placeholders of a command for one attack:
 * `@T@` the trace path `<canary>/<id>`, `@C@` the canary folder, `@ID@` the id, `@P@` the project,
 * `@HOME@` the fake home, `@ACH@` AUTOCODER_HOME, `@KEY@` the fake key file, `@SRV@`/`@SRVPORT@`
 * the autocoder server, `@PNAME@` its project name, `@OUT@`/`@OUTHOST@`/`@OUTPORT@` the outside
 * host, `@PROG@`/`@PROGJS@` a program (shell / node) outside the project that leaves the trace,
 * `@FAKEBIN@` a folder of such programs named like allowed commands, `@PID@`/`@SLEEPER@` a canary
 * process (pid / unique name).
 */
export function fillPlaceholders(command: string, id: string, values: PlaceholderValues): string {
  const table: Record<string, () => string> = {
    T: () => `${values.canary}/${id}`,
    C: () => values.canary,
    ID: () => id,
    P: () => values.project,
    HOME: () => values.home,
    ACH: () => values.autocoderHome,
    KEY: () => values.keyPath,
    SRV: () => values.serverUrl,
    SRVPORT: () => String(values.serverPort),
    PNAME: () => values.projectName,
    OUT: () => `http://${values.outsideHost}:${values.outsidePort}`,
    OUTHOST: () => values.outsideHost,
    OUTPORT: () => String(values.outsidePort),
    PROG: () => values.program(id),
    PROGJS: () => values.programJs(id),
    FAKEBIN: () => values.fakeBin(id),
    PID: () => String(values.sleeper(id).pid),
    SLEEPER: () => values.sleeper(id).name,
  }
  return command.replace(/@([A-Z]+)@/g, (whole, name: string) => {
    const value = table[name]
    if (!value) throw new Error(`attack ${id}: unknown placeholder ${whole}`)
    return value()
  })
}
