// Module hooks that append the URL of every module loaded to $AUTOCODER_TRACE_MODULES.
import { appendFileSync } from 'node:fs'

export async function load(url, context, nextLoad) {
  const file = process.env.AUTOCODER_TRACE_MODULES
  if (file) appendFileSync(file, `${url}\n`)
  return nextLoad(url, context)
}
