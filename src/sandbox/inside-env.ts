/** Where HOME and TMPDIR point inside a sandbox (both in its private temp folder). */
export const INSIDE_TMP = '/tmp'
export const INSIDE_HOME = '/tmp/home'

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/**
 * The whole environment inside a sandbox: the spec's (PATH from it, else the host's), then what
 * the launcher owns: HOME and TMPDIR in the private temp folder and every proxy variable pointing
 * at the relay (`proxyUrl`), with local addresses left direct.
 */
export function insideEnv(
  specEnv: Readonly<Record<string, string>>,
  proxyUrl: string,
  hostPath: string | undefined,
): Record<string, string> {
  const noProxy = 'localhost,127.0.0.1,::1'
  return {
    ...specEnv,
    PATH: specEnv['PATH'] ?? hostPath ?? DEFAULT_PATH,
    HOME: INSIDE_HOME,
    TMPDIR: INSIDE_TMP,
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    npm_config_proxy: proxyUrl,
    npm_config_https_proxy: proxyUrl,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
  }
}
