import type { Validator } from './invocation.js'
import {
  operandWords,
  parseOptions,
  valuesOfKind,
  type OptionSpec,
  type Token,
} from './option-parser.js'
import { checkWritePath } from './paths.js'
import { isLiteral, type Word } from './words.js'

const flags = (text: string): string[] => text.split(/\s+/).filter(Boolean)
const text = (names: string): Record<string, 'text'> =>
  Object.fromEntries(flags(names).map((name) => [name, 'text' as const]))

const FILE = 'it reads a local file'
const PROGRAM_OR_FILE = 'it loads code or credentials from a file'

/**
 * curl options the policy allows: requests to http(s) URLs, with headers and inline data, and
 * output files inside the roots. Uploads of local files (-T, -d @file, -F name=@file), config
 * files (-K), other protocols, sockets, proxies, credentials files (.netrc) and engines are not
 * on the list.
 */
const CURL: OptionSpec = {
  flags: flags(`-s --silent -S --show-error -f --fail --fail-with-body --fail-early -L --location
    --location-trusted -i --include -I --head -v --verbose -k --insecure -g --globoff -G --get
    --compressed -N --no-buffer -# --progress-bar --no-progress-meter -4 --ipv4 -6 --ipv6
    --http1.0 --http1.1 --http2 --http2-prior-knowledge --http3 -j --junk-session-cookies
    --retry-connrefused --retry-all-errors --create-dirs -O --remote-name --remote-name-all -J
    --remote-header-name -R --remote-time --raw --tr-encoding --tcp-nodelay -Z --parallel
    --parallel-immediate --path-as-is --basic --digest --anyauth --no-keepalive -q --disable
    --styled-output --no-styled-output --ssl-reqd --show-headers -a --append --no-clobber
    --remove-on-error --no-alpn --no-npn --no-sessionid --http0.9 --no-buffer --trace-time`),
  values: {
    ...text(`-X --request -H --header -A --user-agent -e --referer -u --user -m --max-time
      --connect-timeout --retry --retry-delay --retry-max-time --max-redirs -r --range
      -C --continue-at --limit-rate --max-filesize --oauth2-bearer
      --data-raw -w --write-out --json -d --data --data-ascii --data-binary --data-urlencode
      -F --form --form-string -b --cookie --url --proto --proto-redir --proto-default
      --parallel-max --keepalive-time --expect100-timeout --request-target --noproxy -Y -y
      --speed-limit --speed-time --happy-eyeballs-timeout-ms`),
    ...Object.fromEntries(
      flags(`-o --output --output-dir -c --cookie-jar -D --dump-header --trace --trace-ascii
        --stderr --libcurl --etag-save`).map((name) => [name, 'write' as const]),
    ),
  },
  denied: {
    '-T': 'it uploads a local file',
    '--upload-file': 'it uploads a local file',
    '-K': 'it reads options from a file the policy cannot check',
    '--config': 'it reads options from a file the policy cannot check',
    '-n': 'it reads credentials from .netrc',
    '--netrc': 'it reads credentials from .netrc',
    '--netrc-file': 'it reads credentials from a file',
    '--netrc-optional': 'it reads credentials from .netrc',
    '--unix-socket': 'it talks to local services through a socket',
    '--abstract-unix-socket': 'it talks to local services through a socket',
    '-x': 'proxies are set by the sandbox',
    '--resolve': 'it sends a request for one host to another address',
    '--connect-to': 'it sends a request for one host to another address',
    '--proxy': 'proxies are set by the sandbox',
    '--engine': PROGRAM_OR_FILE,
    '--cert': PROGRAM_OR_FILE,
    '--key': PROGRAM_OR_FILE,
    '--variable': FILE,
    '--url-query': FILE,
    '--etag-compare': FILE,
    '-z': FILE,
    '--time-cond': FILE,
    '-Q': 'it sends raw protocol commands',
    '--quote': 'it sends raw protocol commands',
  },
}

/** Inline data options whose value may name a file with `@` (or `<` for forms). */
const DATA_OPTIONS = new Set([
  '-d',
  '--data',
  '--data-ascii',
  '--data-binary',
  '--json',
  '-H',
  '--header',
  '-w',
  '--write-out',
  '-b',
  '--cookie',
])
const URL_ENCODED = new Set(['--data-urlencode'])
const FORMS = new Set(['-F', '--form'])
const PROTOCOL_OPTIONS = new Set(['--proto', '--proto-redir', '--proto-default'])

/** curl: http(s) only, no uploads of local files, output files inside the roots. */
export const validateCurl: Validator = (invocation, context) => {
  const parsed = parseOptions('curl', invocation.args, CURL)
  if (!parsed.ok) return parsed.reason
  for (const { name, value } of valuesOfKind(parsed.tokens, 'write')) {
    if (value.value === '-') continue
    const reason = checkWritePath(isLiteral(value) ? value.value : null, context.scope)
    if (reason) return `curl ${name}: ${reason}`
  }
  const data = dataProblem(parsed.tokens)
  if (data) return data
  const urls = [
    ...operandWords(parsed.tokens),
    ...valuesOfKind(parsed.tokens, 'text').flatMap(({ name, value }) =>
      name === '--url' ? [value] : [],
    ),
  ]
  for (const url of urls) {
    const reason = urlProblem(url)
    if (reason) return reason
  }
  // data computed at run time (a header, a body, a form field) may only go to this machine
  const computed = valuesOfKind(parsed.tokens, 'text').find(({ value }) => !isLiteral(value))
  const remote = urls.find((url) => !LOOPBACK.test(isLiteral(url) ? (url.value ?? '') : url.prefix))
  if (computed && remote)
    return `curl ${computed.name} ${computed.value.raw}: a request to ${remote.raw} carrying data computed at run time could send out local data; write the data out, or send it to localhost`
  return null
}

function dataProblem(tokens: readonly Token[]): string | null {
  for (const { name, value } of valuesOfKind(tokens, 'text')) {
    const literal = isLiteral(value) ? (value.value ?? '') : null
    if (PROTOCOL_OPTIONS.has(name)) {
      if (
        literal === null ||
        !/^[=+-]?(https?)?(,[+-]?https?)*$/i.test(literal.replace(/-all,?/i, ''))
      )
        return `curl ${name} ${value.raw}: only http and https are allowed`
      continue
    }
    // a computed value could start with @ (read a file) unless its literal start rules that out
    const start = literal ?? value.prefix
    const known = literal !== null || value.prefix !== ''
    if (DATA_OPTIONS.has(name)) {
      if (!known || start.startsWith('@'))
        return `curl ${name} ${value.raw}: ${FILE} (@file); send the data inline`
      if ((name === '-w' || name === '--write-out') && /%\{?output|%\{stderr/i.test(start))
        return `curl ${name}: %output writes to a file`
      if ((name === '-b' || name === '--cookie') && !start.includes('='))
        return `curl ${name} ${value.raw}: ${FILE} (a cookie file)`
    }
    if (URL_ENCODED.has(name) && (!known || /^[^=]*@/.test(start)))
      return `curl ${name} ${value.raw}: ${FILE} (name@file)`
    if (FORMS.has(name) && (literal === null || /^[^=]*=[@<]/.test(literal)))
      return `curl ${name} ${value.raw}: it uploads a local file`
  }
  return null
}

/** This machine, named in the authority (`http://localhost:3000@elsewhere/` is elsewhere). */
const LOOPBACK =
  /^(https?:\/\/)?(?![^/?#]*@)(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)([:/?#]|$)/i

/**
 * A URL must name http or https literally (curl guesses other protocols from names like
 * `ftp.host` and expands `{file,http}://` globs), and a computed part may only follow a literal
 * host and path start: `http://host:$PORT` lets the value add `@elsewhere` and
 * `http://host/$(cat f)` sends a file anywhere.
 */
function urlProblem(url: Word): string | null {
  const start = isLiteral(url) ? (url.value ?? '') : url.prefix
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(start)?.[1]
  if (scheme !== undefined && !/^https?$/i.test(scheme))
    return `curl ${url.raw}: only http and https URLs are allowed`
  if (scheme === undefined && !LOOPBACK.test(start))
    return `curl ${url.raw}: write the URL with http:// or https:// (curl guesses other protocols from the host name)`
  if (/[{[]/.test(start.slice(0, start.indexOf('://') + 3)))
    return `curl ${url.raw}: a pattern in the protocol`
  if (isLiteral(url)) return null
  const authorityEnd = (
    scheme === undefined ? /^[^/?#]*[/?#]/ : /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*[/?#]/i
  ).exec(start)
  if (!authorityEnd)
    return `curl ${url.raw}: the host part of the URL is computed at run time; write the host and port out`
  if (!LOOPBACK.test(start))
    return `curl ${url.raw}: a URL to another host with a part computed at run time could send out local data; write it out literally`
  return null
}
