import { argValues, type CheckContext, type Validator } from './invocation.js'
import { checkWritePath } from './paths.js'

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
      // what it copies out of the container may be a symbolic link
      context.makesLinks('docker cp', [destination])
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
