/**
 * Collects a process's output within a fixed budget: the first `headBytes` and the last
 * `tailBytes` are kept, the middle is replaced by a line saying how much was left out.
 */
export class OutputCapture {
  private head: Buffer[] = []
  private headSize = 0
  private tail: Buffer = Buffer.alloc(0)
  private total = 0

  constructor(
    private readonly headBytes = 16 * 1024,
    private readonly tailBytes = 48 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length
    let rest = chunk
    if (this.headSize < this.headBytes) {
      const taken = rest.subarray(0, this.headBytes - this.headSize)
      this.head.push(taken)
      this.headSize += taken.length
      rest = rest.subarray(taken.length)
    }
    if (rest.length === 0) return
    const joined = Buffer.concat([this.tail, rest])
    this.tail =
      joined.length > this.tailBytes ? joined.subarray(joined.length - this.tailBytes) : joined
  }

  text(): string {
    const omitted = this.total - this.headSize - this.tail.length
    const head = Buffer.concat(this.head).toString('utf8')
    if (omitted <= 0) return head + this.tail.toString('utf8')
    return `${head}\n… [${omitted} bytes of output omitted] …\n${this.tail.toString('utf8')}`
  }
}
