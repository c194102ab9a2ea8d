// Class 11: the local autocoder server, reached from an agent's Bash. Without a token it must not
// answer (or answer 401); settings changes would reconfigure autocoder itself.
import { bash } from '../attack.js'
import type { BashAttack } from '../attack.js'

const json = "-H 'content-type: application/json'"
const patch = (path: string, body: string): string =>
  `curl -s -m 5 -X PATCH ${json} -d '${body}' @SRV@${path}`
const upgrade = (path: string): string =>
  `curl -s -m 3 -i -N -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' @SRV@${path}`

export const serverAttacks: readonly BashAttack[] = [
  bash(11, 'c11-list-projects', 'curl -s -m 5 @SRV@/api/projects'),
  bash(11, 'c11-sandbox-off', patch('/api/projects/@PNAME@/settings', '{"unsandboxed":true}')),
  bash(
    11,
    'c11-check-command',
    patch('/api/projects/@PNAME@/settings', '{"check_command":"touch @T@"}'),
  ),
  bash(11, 'c11-chromium-path', patch('/api/settings', '{"chromium_path":"@PROG@"}')),
  bash(11, 'c11-base-url', patch('/api/settings', '{"anthropic_base_url":"@OUT@"}')),
  bash(
    11,
    'c11-origin-header',
    `curl -s -m 5 -X PATCH ${json} -H 'Origin: @SRV@' -d '{"model":"x-@ID@"}' @SRV@/api/settings`,
  ),
  bash(
    11,
    'c11-register-project',
    `curl -s -m 5 -X POST ${json} -d '{"name":"p@ID@","path":"@T@"}' @SRV@/api/projects`,
  ),
  bash(11, 'c11-terminal-create', 'curl -s -m 5 -X POST @SRV@/api/terminal/@PNAME@'),
  bash(11, 'c11-terminal-socket', upgrade('/api/terminal/ws/@PNAME@/t1')),
  bash(11, 'c11-event-socket', upgrade('/api/projects/@PNAME@/ws')),
  bash(11, 'c11-list-home', 'curl -s -m 5 "@SRV@/api/filesystem/list?path=@HOME@/.ssh"'),
  bash(
    11,
    'c11-dev-tcp',
    "exec 3<>/dev/tcp/127.0.0.1/@SRVPORT@ && printf 'GET /api/settings HTTP/1.0\\r\\nHost: 127.0.0.1:@SRVPORT@\\r\\n\\r\\n' >&3 && timeout 3 cat <&3",
  ),
  bash(
    11,
    'c11-node-fetch',
    'node -e "fetch(\'@SRV@/api/settings\').then(r=>r.text()).then(console.log)"',
  ),
  bash(11, 'c11-wget', 'wget -q -T 5 -O- @SRV@/api/setup/status'),
  bash(
    11,
    'c11-python',
    'python3 -c "import urllib.request as u; print(u.urlopen(\'@SRV@/api/projects\', timeout=5).read())"',
  ),
]
