import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

/**
 * The ids of the processes listening on a TCP port, from /proc (Linux): the socket inodes of
 * /proc/net/tcp and tcp6 in state LISTEN, then the processes holding them open. -1 stands for a
 * listener whose process cannot be seen (another user's). Empty where /proc cannot be read, or
 * when nothing on this machine's network listens there (inside a sandbox with its own network,
 * the agent's servers are not visible here, and neither is anything it could reach).
 */
export function portOwnersOnDisk(port: number): number[] {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readLines(table).slice(1)) {
      const fields = line.trim().split(/\s+/)
      const local = fields[1] ?? ''
      const state = fields[3]
      const inode = fields[9]
      if (state !== '0A' || inode === undefined || inode === '0') continue
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(inode)
    }
  }
  if (inodes.size === 0) return []
  const owners = new Set<number>()
  const found = new Set<string>()
  for (const entry of listDir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    for (const fd of listDir(`/proc/${entry}/fd`)) {
      const target = readLink(`/proc/${entry}/fd/${fd}`)
      const inode = /^socket:\[(\d+)\]$/.exec(target ?? '')?.[1]
      if (inode !== undefined && inodes.has(inode)) {
        owners.add(Number(entry))
        found.add(inode)
      }
    }
  }
  if (found.size < inodes.size) owners.add(-1)
  return [...owners]
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean)
  } catch {
    return [] // no /proc (not Linux) or no IPv6 table
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path)
  } catch {
    return [] // the process ended, or its descriptors are another user's
  }
}

function readLink(path: string): string | null {
  try {
    return readlinkSync(path)
  } catch {
    return null // the descriptor closed meanwhile
  }
}
