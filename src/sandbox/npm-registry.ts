import { execFile } from 'node:child_process'

let cached: Promise<string | null> | null = null

/** The `host` or `host:port` of a registry URL, or null when it is not an http(s) URL. */
export function registryHostOf(url: string): string | null {
  try {
    const parsed = new URL(url.trim())
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null
    return parsed.host === '' ? null : parsed.host
  } catch {
    return null
  }
}

/**
 * The npm registry's host as npm itself is configured (`npm config get registry`), asked once
 * per process: the default entry of `allowedHosts` for JavaScript projects. Null when npm is
 * missing or answers nothing usable. The name is never written in our code.
 */
export function npmRegistryHost(): Promise<string | null> {
  cached ??= new Promise((resolve) => {
    execFile('npm', ['config', 'get', 'registry'], { timeout: 15_000 }, (error, stdout) => {
      resolve(error ? null : registryHostOf(stdout))
    })
  })
  return cached
}
