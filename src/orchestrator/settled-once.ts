/** A promise settled by the first `settle` call; later calls are ignored. */
export function settledOnce<T>(): { promise: Promise<T>; settle: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined
  let settled = false
  const promise = new Promise<T>((done) => (resolve = done))
  return {
    promise,
    settle(value) {
      if (settled) return
      settled = true
      resolve(value)
    },
  }
}
