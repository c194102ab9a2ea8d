import { argValues, type CheckContext, type Validator } from './invocation.js'
import { checkSensitivePath, checkWritePath } from './paths.js'

/** `git -c`/`git config` keys that are safe to set; anything else may name a program to run. */
const SAFE_GIT_KEY =
  /^(user\.(name|email)|color\..*|advice\..*|init\.defaultbranch|commit\.gpgsign|tag\.gpgsign|core\.autocrlf|core\.quotepath|core\.filemode|core\.ignorecase|pull\.rebase|pull\.ff|merge\.ff|push\.default|push\.autosetupremote|log\..*|branch\.[^.]+\.(remote|merge)|remote\.[^.]+\.(url|fetch)|rerere\.enabled|diff\.renames|fetch\.prune|gc\.auto|safe\.directory)$/i

/** git options that run programs or read a config file we cannot see. */
const GIT_DENIED_OPTIONS =
  /^(--exec-path|--config-env|--upload-pack|--receive-pack|-u|--exec|-x|--extcmd|--ext-diff|--config|--template|--separate-git-dir)(=|$)/

const GIT_PATH_OPTIONS = new Set(['-C', '--git-dir', '--work-tree'])

/**
 * git is allowed, but not the ways it runs other programs: `-c core.sshCommand=…`, `git config`
 * of such keys (or aliases starting with `!`), `rebase --exec`, `bisect run`, `submodule
 * foreach`, `filter-branch`, `ext::` remotes; `-C`/`--git-dir`/`--work-tree` stay inside the roots.
 */
export const validateGit: Validator = (invocation, context) => {
  const values = argValues(invocation)
  let index = 0
  // global options before the subcommand
  while (index < values.length) {
    const value = values[index]
    if (value === null || value === undefined) return 'git has an option computed at run time'
    if (!value.startsWith('-')) break
    if (value === '-c') {
      const setting = values[index + 1] ?? null
      const reason = checkGitSetting(setting)
      if (reason) return reason
      index += 2
      continue
    }
    const [option] = value.split('=', 1)
    if (option && GIT_PATH_OPTIONS.has(option)) {
      const path = value.includes('=')
        ? value.slice(option.length + 1)
        : (values[index + 1] ?? null)
      const reason = checkWritePath(path, context.scope)
      if (reason) return `git ${option}: ${reason}`
      index += value.includes('=') ? 1 : 2
      continue
    }
    if (GIT_DENIED_OPTIONS.test(value)) return `git ${value} can run other programs`
    index++
  }
  const subcommand = values[index] ?? null
  const rest = values.slice(index + 1)
  if (subcommand === null && index < values.length) return 'git subcommand computed at run time'
  for (const value of rest) {
    if (value === null) continue
    if (GIT_DENIED_OPTIONS.test(value)) return `git ${subcommand} ${value} can run other programs`
    if (value.startsWith('ext::') || value.startsWith('fd::'))
      return `git remote ${value} runs a command`
    if (value === '-c' && (subcommand === 'clone' || subcommand === 'submodule'))
      return `git ${subcommand} -c can set program-running config`
  }
  const outputs = gitOutputPaths(subcommand, rest)
  for (const output of outputs) {
    const reason = checkWritePath(output, context.scope)
    if (reason) return `git ${subcommand}: ${reason}`
  }
  switch (subcommand) {
    case 'config':
      return checkGitConfig(rest, context)
    case 'filter-branch':
    case 'daemon':
    case 'upload-pack':
    case 'receive-pack':
    case 'credential':
    case 'difftool':
    case 'mergetool':
      return `git ${subcommand} runs external programs and is refused`
    case 'bisect':
      return rest[0] === 'run'
        ? 'git bisect run executes a command; run the checks one by one'
        : null
    case 'submodule':
      return rest.includes('foreach') ? 'git submodule foreach executes a command' : null
    case 'rebase':
      return rest.some((value) => value === '-x' || value?.startsWith('--exec'))
        ? 'git rebase --exec executes a command'
        : null
    case null:
    default:
      return null
  }
}

/** Paths git writes: `--output`/`-o` files, clone/init/worktree-add destinations. */
function gitOutputPaths(
  subcommand: string | null,
  args: readonly (string | null)[],
): (string | null)[] {
  const out: (string | null)[] = []
  args.forEach((value, index) => {
    if (value === null) return
    if (value === '-o' || value === '--output' || value === '--output-directory')
      out.push(args[index + 1] ?? null)
    else if (value.startsWith('--output=') || value.startsWith('--output-directory='))
      out.push(value.slice(value.indexOf('=') + 1))
  })
  const positional = args.filter((value) => value === null || !value.startsWith('-'))
  if (subcommand === 'clone' && positional.length >= 2) out.push(positional[1] ?? null)
  if (subcommand === 'init' && positional.length >= 1) out.push(positional[0] ?? null)
  if (subcommand === 'worktree' && positional[0] === 'add' && positional.length >= 2)
    out.push(positional[1] ?? null)
  return out
}

function checkGitSetting(setting: string | null): string | null {
  if (setting === null) return 'git -c with a value computed at run time'
  const key = setting.split('=', 1)[0] ?? ''
  return SAFE_GIT_KEY.test(key)
    ? null
    : `git -c ${key} is refused: that setting can make git run other programs`
}

function checkGitConfig(args: readonly (string | null)[], context: CheckContext): string | null {
  if (args.some((value) => value === null)) return 'git config with a value computed at run time'
  const words = args as string[]
  if (words.includes('--system')) return 'git config --system changes the whole machine'
  const fileIndex = words.findIndex((word) => word === '--file' || word === '-f')
  if (fileIndex !== -1) {
    const reason = checkWritePath(words[fileIndex + 1] ?? null, context.scope)
    if (reason) return `git config --file: ${reason}`
  }
  const readOnly = words.some((word) =>
    /^(--get|--get-all|--get-regexp|--list|-l|get|list)$/.test(word),
  )
  if (readOnly) return null
  const positional = words.filter(
    (word, index) =>
      !word.startsWith('-') && words[index - 1] !== '--file' && words[index - 1] !== '-f',
  )
  const [first, ...restWords] = positional
  const key = first === 'set' || first === 'unset' ? restWords[0] : first
  if (!key) return null
  if (/^alias\./i.test(key)) {
    const value = first === 'set' ? restWords[1] : restWords[0]
    return value?.trimStart().startsWith('!') ? `git alias ${key} would run a shell command` : null
  }
  if (!SAFE_GIT_KEY.test(key))
    return `git config ${key} is refused: that setting can make git run other programs`
  if (words.includes('--global') && !/^user\./i.test(key))
    return `git config --global ${key} changes settings outside the project`
  return null
}

/** docker run flags that hand the container the host. */
const DOCKER_HOST_FLAGS =
  /^(--privileged|--allow|--cap-add|--security-opt|--device|--pid|--ipc|--uts|--userns|--cgroupns|--network=host|--net=host)(=|$)/

/**
 * docker stays allowed (reference), but not `--privileged`, host namespaces, added capabilities,
 * devices, or bind mounts of host paths outside the worktree and project.
 */
export const validateDocker: Validator = (invocation, context) => {
  const values = argValues(invocation)
  const subcommand = values.find((value) => value === null || !value.startsWith('-'))
  if (subcommand === 'compose' || subcommand === 'stack' || subcommand === 'plugin') {
    return `docker ${subcommand} runs containers from a file we cannot check (it may mount the host or run privileged); docker-compose is on the dangerous list for the same reason`
  }
  if (values[0] === 'cp') {
    // docker cp SRC DEST: a host-side destination (no `container:`) is written
    const destination = values.filter((value) => value === null || !value.startsWith('-')).at(-1)
    if (destination === null) return 'docker cp to a path computed at run time'
    if (destination !== undefined && !/^[^/]+:/.test(destination)) {
      const reason = checkWritePath(destination, context.scope)
      if (reason) return `docker cp: ${reason}`
    }
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) {
      const previous = values[i - 1]
      if (previous === '-v' || previous === '--volume' || previous === '--mount')
        return 'docker volume computed at run time cannot be checked'
      continue
    }
    if (DOCKER_HOST_FLAGS.test(value))
      return `docker ${value} gives the container access to the host`
    if ((value === '--network' || value === '--net') && values[i + 1] === 'host')
      return 'docker --network host gives the container the host network'
    const volume = volumeSource(value, values[i + 1] ?? null)
    if (volume === undefined) continue
    const reason = checkVolume(volume, context)
    if (reason) return reason
  }
  return null
}

/** The host side of `-v SRC:DST`, `--volume=SRC:DST` or `--mount …source=SRC`; undefined if not a mount. */
function volumeSource(value: string, next: string | null): string | null | undefined {
  if (value === '-v' || value === '--volume')
    return next === null ? null : (next.split(':')[0] ?? '')
  if (value.startsWith('--volume=') || (value.startsWith('-v') && value.length > 2)) {
    const spec = value.startsWith('--volume=') ? value.slice(9) : value.slice(2)
    return spec.split(':')[0] ?? ''
  }
  if (value === '--mount') return next === null ? null : mountSource(next)
  if (value.startsWith('--mount=')) return mountSource(value.slice(8))
  return undefined
}

function mountSource(spec: string): string | undefined {
  const source = /(?:^|,)(?:source|src)=([^,]*)/.exec(spec)
  return source?.[1]
}

function checkVolume(source: string | null, context: CheckContext): string | null {
  if (source === null) return 'docker volume computed at run time cannot be checked'
  // a named volume has no slash and does not start with . or ~
  if (!source.includes('/') && !source.startsWith('.') && !source.startsWith('~')) return null
  const reason = checkWritePath(source, context.scope)
  return reason ? `docker mount of ${source}: ${reason}` : null
}

/** curl options that write a file, and options that upload a local file. */
const CURL_WRITE_OPTIONS = new Set([
  '-o',
  '--output',
  '--output-dir',
  '-c',
  '--cookie-jar',
  '-D',
  '--dump-header',
  '--trace',
  '--trace-ascii',
  '--libcurl',
  '--stderr',
  '--etag-save',
  '--hsts',
  '--alt-svc',
])
const CURL_UPLOAD_OPTIONS = new Set([
  '-T',
  '--upload-file',
  '-d',
  '--data',
  '--data-binary',
  '--data-raw',
  '--data-urlencode',
  '-F',
  '--form',
  '--json',
])

const CURL_SHORT_WITH_VALUE = new Set(['o', 'c', 'D', 'T', 'd', 'F', 'K'])

/** Splits `--name=value`, `-ofile` and clusters like `-sSLo file` into one option and its value. */
function curlOption(
  value: string,
  next: string | null,
): { option: string | undefined; argument: string | null } {
  if (value.startsWith('--')) {
    const [option] = value.split('=', 1)
    return { option, argument: value.includes('=') ? value.slice((option ?? '').length + 1) : next }
  }
  if (!/^-[A-Za-z]/.test(value)) return { option: undefined, argument: null }
  for (let i = 1; i < value.length; i++) {
    const ch = value[i] ?? ''
    if (CURL_SHORT_WITH_VALUE.has(ch)) {
      const rest = value.slice(i + 1)
      return { option: `-${ch}`, argument: rest === '' ? next : rest }
    }
  }
  return { option: value, argument: next }
}

/** curl is allowed (agents test localhost); its output files stay inside, uploads skip credentials. */
export const validateCurl: Validator = (invocation, context) => {
  const values = argValues(invocation)
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) continue
    if (/^file:/i.test(value))
      return `curl ${value} reads local files; use cat for files in the project`
    const { option, argument } = curlOption(value, values[i + 1] ?? null)
    if (option === '-K' || option === '--config')
      return 'curl --config reads options we cannot check'
    if (option && CURL_WRITE_OPTIONS.has(option)) {
      const reason = argument === '-' ? null : checkWritePath(argument, context.scope)
      if (reason) return `curl ${option}: ${reason}`
    }
    if (option && CURL_UPLOAD_OPTIONS.has(option) && argument !== null) {
      const file =
        /^[^=]*=?[@<](.+)$/.exec(argument)?.[1] ??
        (option === '-T' || option === '--upload-file' ? argument : null)
      const reason = file ? checkSensitivePath(file, context.scope) : null
      if (reason) return `curl would upload ${file}: ${reason}`
    }
  }
  return null
}
