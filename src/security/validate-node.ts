import type { Validator } from './invocation.js'
import { nodeCodeProblem } from './node-code.js'
import { checkWritePath } from './paths.js'
import { isLiteral, type Word } from './words.js'

const flags = (text: string): string[] => text.split(/\s+/).filter(Boolean)

/** node options without a value that only change how the script runs. */
const NODE_FLAGS = new Set(
  flags(`--test-only --watch --watch-preserve-output --check -c --no-warnings
    --trace-warnings --trace-uncaught --trace-deprecation --enable-source-maps --no-deprecation
    --throw-deprecation --pending-deprecation --preserve-symlinks --preserve-symlinks-main
    --abort-on-uncaught-exception --experimental-vm-modules --experimental-strip-types
    --experimental-transform-types --experimental-detect-module --no-experimental-detect-module
    --experimental-require-module --experimental-test-coverage --experimental-test-module-mocks
    --experimental-specifier-resolution=node --experimental-json-modules
    --experimental-import-meta-resolve --experimental-wasm-modules --experimental-fetch
    --experimental-global-webcrypto --no-experimental-fetch --frozen-intrinsics --inspect
    --inspect-brk --inspect-wait --expose-gc --harmony --interactive -i --zero-fill-buffers
    --track-heap-objects --no-addons --no-global-search-paths --force-fips --jitless`),
)
/** node options with a value that is data (or a module the project provides). */
const NODE_VALUES = new Set(
  flags(`--max-old-space-size --max-semi-space-size --stack-size --input-type -C --conditions
    --title --test-reporter --test-name-pattern --test-skip-pattern --test-concurrency
    --test-timeout --test-shard --unhandled-rejections --env-file --env-file-if-exists
    --require -r --import --loader --experimental-loader --dns-result-order --watch-path
    --max-http-header-size --experimental-default-type --test-coverage-include
    --test-coverage-exclude --disable-warning --run`),
)
/** Options whose value is a file node writes. */
const NODE_WRITES = new Set(['--test-reporter-destination'])
const NODE_EVAL = new Set(['-e', '--eval', '-p', '--print'])
/** Options after which node needs no script and reads no stdin (the rest are still checked). */
const NODE_NO_SCRIPT = new Set(['-v', '--version', '-h', '--help', '--v8-options', '--test'])

/**
 * `node script.js` runs the project's own code (the OS sandbox contains it); `node -e`/`-p` with
 * literal code are allowed but flagged, once `nodeCodeProblem` finds nothing. node's own options are an allowlist: diagnostic and
 * profiling options that write files elsewhere (--cpu-prof-dir, --redirect-warnings,
 * --report-directory, --tls-keylog), --openssl-config (loads engines) and the like are not on it.
 * Code computed at run time (`node -e "$(curl …)"`, `curl … | node`) is refused.
 */
export const validateNode: Validator = (invocation, context) => {
  const words = invocation.args
  let needsScript = true
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as Word
    if (!isLiteral(word))
      return 'node would run a script whose path is computed at run time (a download or a pipe)'
    const value = word.value ?? ''
    const [option = value, inline] =
      value.startsWith('--') && value.includes('=') ? splitOnce(value) : [value]
    if (NODE_EVAL.has(option) || /^-[a-z]*[ep]$/.test(option)) {
      const code = inline === undefined ? words[i + 1] : undefined
      if (code !== undefined && !isLiteral(code))
        return `node ${value} with code computed at run time (a download or a pipe) is refused`
      const reason = nodeCodeProblem(inline ?? code?.value ?? '', context.scope)
      if (reason) return `node ${option}: ${reason}`
      context.flags.add('node-eval')
      return null
    }
    if (NODE_NO_SCRIPT.has(option)) {
      needsScript = false
      continue
    }
    if (value === '-') return 'node - reads a program from stdin'
    if (value === '--') return checkScript(words[i + 1])
    if (option === '--run') needsScript = false
    if (NODE_VALUES.has(option) || NODE_WRITES.has(option)) {
      const argument = inline ?? words[++i]?.value
      if (argument === undefined) return `node ${option} needs a value`
      if (argument === null || isStdinPath(argument))
        return `node ${option} loads code from a pipe or a computed path`
      if (NODE_WRITES.has(option)) {
        const reason = checkWritePath(argument, context.scope)
        if (reason) return `node ${option}: ${reason}`
      }
      continue
    }
    if (
      NODE_FLAGS.has(value) ||
      /^--inspect(-brk|-wait)?=(127\.0\.0\.1:|localhost:)?\d+$/.test(value)
    )
      continue
    if (value.startsWith('-'))
      return `node ${option} is not on the list of node options the policy allows`
    // the script (or, with --test, the test files); what follows are its own arguments
    return checkScript(word)
  }
  return needsScript ? 'node without a script reads a program from stdin' : null
}

function splitOnce(value: string): [string, string] {
  const equals = value.indexOf('=')
  return [value.slice(0, equals), value.slice(equals + 1)]
}

function checkScript(script: Word | undefined): string | null {
  if (script === undefined) return 'node reads a program from stdin'
  if (!isLiteral(script)) return 'node would run a script whose path is computed at run time'
  return isStdinPath(script.value ?? '')
    ? `node ${script.value ?? ''} reads a program from stdin`
    : null
}

function isStdinPath(path: string): boolean {
  return /^\/(dev\/(stdin|fd\/)|proc\/[^/]+\/fd\/)/.test(path)
}
