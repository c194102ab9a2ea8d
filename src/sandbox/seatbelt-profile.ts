/** What a Seatbelt profile needs to know; every path absolute and already resolved (/private/...). */
export interface SeatbeltProfileInput {
  writable: readonly string[]
  readOnly: readonly string[]
  hidden: readonly string[]
  /** Readable even inside the home (the project there); hidden paths inside stay denied. */
  readable?: readonly string[] | undefined
  home: string
  privateTmp: string
  /** The host proxy's port on 127.0.0.1: the only network destination besides exposed ports. */
  proxyPort: number
  /** Ports of servers inside that processes inside may connect to (their own dev server). */
  localPorts: number[]
}

/** A string literal for SBPL (a Scheme dialect): backslashes and quotes escaped. */
export function sbplString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

function paths(kind: 'subpath' | 'literal', list: readonly string[]): string {
  return list.map((path) => `(${kind} ${sbplString(path)})`).join(' ')
}

/** Mach services ordinary command-line tools need (name lookups, logging, certificates). */
const MACH_SERVICES = [
  'com.apple.system.opendirectoryd.libinfo',
  'com.apple.system.opendirectoryd.membership',
  'com.apple.system.logger',
  'com.apple.logd',
  'com.apple.system.notification_center',
  'com.apple.trustd.agent',
  'com.apple.SecurityServer',
  'com.apple.securityd.xpc',
  'com.apple.bsd.dirhelper',
  'com.apple.coreservices.launchservicesd',
  'com.apple.lsd.mapdb',
  'com.apple.FontObjectsServer',
  'com.apple.fonts',
]

/**
 * The Seatbelt profile (`sandbox-exec -p`) of a sandbox on macOS, as Claude Code builds its own:
 * deny by default; run programs and signal only processes of the same sandbox; read everything
 * except the home (but the writable folders in it) and hidden paths; write only the writable
 * folders and the private temp folder, never the read-only paths; network only to the proxy on
 * 127.0.0.1 and to the sandbox's own listed local ports. Later rules win over earlier ones.
 * Untested on a Mac (this project's machines are Linux): only the text is unit-tested.
 */
export function seatbeltProfile(input: SeatbeltProfileInput): string {
  const writable = [...input.writable, input.privateTmp]
  const lines = [
    '(version 1)',
    '(deny default)',
    '(allow process-exec)',
    '(allow process-fork)',
    '(allow process-info* (target same-sandbox))',
    '(allow signal (target same-sandbox))',
    '(allow sysctl-read)',
    '(allow user-preference-read)',
    '(allow ipc-posix-shm)',
    '(allow ipc-posix-sem)',
    `(allow mach-lookup ${MACH_SERVICES.map((name) => `(global-name ${sbplString(name)})`).join(' ')})`,
    '; reads: everything but the home and hidden paths (metadata stays readable for path lookups)',
    '(allow file-read*)',
    `(deny file-read* (subpath ${sbplString(input.home)}))`,
    '(allow file-read-metadata)',
    ...(input.readable?.length ? [`(allow file-read* ${paths('subpath', input.readable)})`] : []),
    `(allow file-read* ${paths('subpath', writable)})`,
  ]
  if (input.readOnly.length > 0)
    lines.push(`(allow file-read* ${paths('subpath', input.readOnly)})`)
  lines.push(
    '; writes: the writable folders and the private temp folder only',
    `(allow file-write* ${paths('subpath', writable)})`,
    '(allow file-write-data (literal "/dev/null") (literal "/dev/zero") (literal "/dev/tty"))',
    '(allow file-ioctl (literal "/dev/tty"))',
  )
  if (input.readOnly.length > 0)
    lines.push(`(deny file-write* ${paths('subpath', input.readOnly)})`)
  if (input.hidden.length > 0) {
    lines.push(`(deny file-read* ${paths('subpath', input.hidden)})`)
    lines.push(`(deny file-write* ${paths('subpath', input.hidden)})`)
  }
  const ports = [input.proxyPort, ...input.localPorts]
  lines.push(
    '; network: the proxy and the sandbox own local servers only (no name service either)',
    `(allow network-outbound ${ports.map((port) => `(remote ip ${sbplString(`localhost:${port}`)})`).join(' ')})`,
    '(allow network-bind (local ip "localhost:*"))',
    '(allow network-inbound (local ip "localhost:*"))',
  )
  return `${lines.join('\n')}\n`
}
