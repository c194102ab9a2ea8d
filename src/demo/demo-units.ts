/**
 * The building blocks of the demo catalog: small helpers in four categories, each an operation
 * with an optional whole-number parameter. `body` is the JavaScript the scripted agent writes;
 * `run` is the same operation here, used to compute the expected values of the unit's test (the
 * catalog test runs the written files, so the two cannot drift apart unnoticed).
 */
export interface UnitOp<T> {
  name: string
  /** Values the parameter may take; none: the operation has no parameter. */
  params?: readonly number[]
  describe: (param: number) => string
  /** Statements of the function body over the category's input variable; the last one returns. */
  body: (param: number) => string
  run: (input: T, param: number) => T
}

export interface UnitCategory<T> {
  name: 'string' | 'array' | 'number' | 'date'
  /** The helpers' parameter name. */
  input: string
  /** Inputs every unit of the category is tested with. */
  samples: readonly T[]
  /** How a unit combines what its dependencies return (an expression over `parts`). */
  combine: { js: string; run: (parts: T[]) => T; describe: string }
  ops: readonly UnitOp<T>[]
}

/** The range from..to (inclusive) in steps. */
export const range = (from: number, to: number, step = 1): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step)

/** Identity with the type checked: an operation of one category. */
export const op = <T>(unit: UnitOp<T>): UnitOp<T> => unit
