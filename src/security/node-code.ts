import { SECRET_NAME } from './command-lists.js'
import { checkReadPath, checkWritePath, type PathScope } from './paths.js'

/**
 * Checks the literal code of `node -e`/`-p` (and `tsx -e`). Code is not a shell command, so this
 * is a guide, not a wall (the OS sandbox is): it refuses what code on a command line has no
 * ordinary reason to do. Starting programs (their commands would never be checked) or signalling
 * processes, reading the environment whole or a credential in it, sockets and URLs of other hosts
 * (where data could go), and naming credentials, `/proc/…/environ` or paths outside the project
 * that the code writes.
 */
export function nodeCodeProblem(code: string, scope: PathScope): string | null {
  if (STARTS_PROGRAMS.test(code))
    return 'the code starts programs (child_process, process.binding), whose commands the policy never sees; run them as commands'
  if (/\bprocess\s*(?:\?\.|\.)\s*kill\b/.test(code))
    return 'the code signals processes; stop your own with kill $! or pkill -f "server name"'
  if (RAW_SOCKETS.test(code))
    return 'the code opens network sockets (net, dgram, tls); talk to servers with curl or fetch to localhost'
  const remote =
    /\b[a-z][a-z0-9+.-]*:\/\/(?!(localhost|127\.\d+\.\d+\.\d+|\[::1\])([:/'"`]|$))[^\s'"`]*/i.exec(
      code,
    )
  if (remote)
    return `the code talks to ${remote[0]}; only localhost is allowed from node -e (download with curl)`
  const environment = environmentProblem(code)
  if (environment) return environment
  if (CREDENTIAL_HINT.test(code))
    return 'the code names a credential file or the home directory; read what the project needs from the project'
  const writes = WRITES_FILES.test(code)
  for (const path of pathLiterals(code)) {
    const reason = writes ? checkWritePath(path, scope) : checkReadPath(path, scope)
    if (reason) return `the code names ${path}: ${reason}`
  }
  return null
}

const STARTS_PROGRAMS =
  /child_process|worker_threads|process\s*(?:\?\.|\.)\s*(binding|_linkedBinding|dlopen|execve)\b/

const RAW_SOCKETS = /['"`](node:)?(net|dgram|tls)['"`]/

const CREDENTIAL_HINT =
  /environ\b|\.ssh\b|\bid_(rsa|ecdsa|ed25519|dsa)\b|\.npmrc|\.netrc|\.git-credentials|\.aws\b|\.gnupg|\.docker\/config|\.kube\/config|\.config\/gh\b|\.autocoder\b|\.claude\b|registry\.db|homedir\s*\(/

/** fs calls that change files: their path arguments are written, not read. */
const WRITES_FILES =
  /\b(write|append|mkdir|mkdtemp|rm|rmdir|unlink|rename|copy|cp|symlink|link|truncate|chmod|chown|utimes|open|createWriteStream)\w*\s*\(/i

/** Quoted strings that look like paths: absolute, from the home (`~`), or leaving with `..`. */
function pathLiterals(code: string): string[] {
  const out: string[] = []
  for (const match of code.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
    const text = match[2] ?? ''
    if (/^(\/|~|\.\.(\/|$))|\/\.\.(\/|$)/.test(text)) out.push(text)
  }
  return out
}

/** `process.env` read whole, by a computed key, or for a credential would show secrets. */
const ENV_ACCESS = /\bprocess\s*(?:\?\.|\.)\s*env\b|\bprocess\s*\[/g
const ONE_VARIABLE =
  /^\s*(?:\?\.|\.)\s*([A-Za-z_$][\w$]*)|^\s*(?:\?\.)?\[\s*(['"])([A-Za-z_]\w*)\2\s*\]/

function environmentProblem(code: string): string | null {
  for (const match of code.matchAll(ENV_ACCESS)) {
    const after = code.slice((match.index ?? 0) + match[0].length)
    const key = match[0].endsWith('[') ? undefined : ONE_VARIABLE.exec(after)
    const name = key?.[1] ?? key?.[3]
    if (name === undefined) return WHOLE_ENVIRONMENT
    if (SECRET_NAME.test(name))
      return `process.env.${name} looks like a credential; printing it would show it to the model`
  }
  // `const { env } = process`, `require('process')`: `env` other than in process.env.NAME
  const other = code.replace(/\bprocess\s*(?:\?\.|\.)\s*env\b/g, '')
  return /\benv\b|['"](node:)?process['"]/.test(other) ? WHOLE_ENVIRONMENT : null
}

const WHOLE_ENVIRONMENT =
  'the code reads the whole environment (secrets included); read one variable, as process.env.PORT'
