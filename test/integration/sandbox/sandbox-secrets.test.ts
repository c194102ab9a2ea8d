/**
 * Reads of credentials, attempted through both ways in: the bytes of the fake home's keys and of
 * the fake AUTOCODER_HOME, the caller's and the orchestrator's environment must never show up in
 * anything a process inside prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Sandbox } from '../../../src/sandbox/index.js'
import { attack, makeCanaries, openFor, WAYS } from './fixture.js'
import type { Canaries } from './fixture.js'
import { skipReason } from './helpers.js'

const ORCHESTRATOR_VARIABLE = 'AUTOCODER_TEST_ORCHESTRATOR_SECRET'

describe.skipIf(skipReason !== null)('the sandbox keeps credentials out of reach', () => {
  let canaries: Canaries
  let sandbox: Sandbox

  beforeAll(async () => {
    canaries = await makeCanaries('secrets')
    process.env[ORCHESTRATOR_VARIABLE] = canaries.envSecret
    sandbox = await openFor(canaries)
  })
  afterAll(async () => {
    delete process.env[ORCHESTRATOR_VARIABLE]
    await sandbox.close()
    await canaries.dispose()
  })

  const attacks = (c: Canaries): Record<string, string> => ({
    'cat of each key': `cat ${c.fakeHome}/.ssh/id_rsa ${c.fakeHome}/.npmrc ${c.fakeHome}/.aws/credentials ${c.autocoderHome}/registry.db`,
    'a recursive grep and find': `grep -ra CANARY ${c.root} /var/tmp 2>/dev/null; find ${c.fakeHome} -type f -exec cat {} + 2>/dev/null`,
    'xargs -a and base64': `xargs -a ${c.fakeHome}/.ssh/id_rsa echo; base64 ${c.fakeHome}/.npmrc`,
    '/proc/self/root and /proc/1/root': `cat /proc/self/root${c.fakeHome}/.ssh/id_rsa /proc/1/root${c.autocoderHome}/registry.db`,
    'the real home': `ls -la ~root "$(getent passwd root | cut -d: -f6)"; cat ~root/.npmrc ~root/.ssh/* ~root/.claude.json 2>&1 | head -5`,
    'every /proc/*/environ and task environ': `cat /proc/*/environ /proc/*/task/*/environ 2>/dev/null | tr '\\0' '\\n'`,
    'the environment itself': 'env; set; cat /proc/self/environ | tr "\\0" "\\n"',
    'every process command line': `cat /proc/*/cmdline 2>/dev/null | tr '\\0' ' '; ps auxeww 2>/dev/null`,
    'python reading the key': `python3 -c "print(open('${c.fakeHome}/.aws/credentials').read())"`,
    'node reading the database': `node -e "console.log(require('fs').readFileSync('${c.autocoderHome}/registry.db','utf8'))"`,
    'a symlink made inside to the key': `ln -sf ${c.fakeHome}/.ssh/id_rsa key && cat key`,
    'the shadow file and host keys': 'cat /etc/shadow /etc/ssh/ssh_host_*_key 2>&1 | head -3',
  })

  for (const way of WAYS) {
    describe(`through ${way}`, () => {
      for (const name of Object.keys(attacks({} as Canaries))) {
        it(`never shows a secret to ${name}`, async () => {
          const result = await attack(sandbox, canaries, way, attacks(canaries)[name] ?? '')
          const seen = `${result.stdout}${result.stderr}`
          expect(seen).not.toContain(canaries.secret)
          expect(seen).not.toContain(canaries.envSecret)
        })
      }

      it("hides the host's root-only files (uid 0 inside still owns them)", async () => {
        const result = await attack(
          sandbox,
          canaries,
          way,
          'cat /etc/shadow /etc/gshadow; wc -c < /etc/shadow; { ls -A /etc/ssl/private; ls -A /var/log; } | wc -l; head -c 5 /etc/passwd',
        )
        expect(result.stdout).toBe('0\n0\nroot:')
      })

      it('shows hidden folders as empty and the real home as empty', async () => {
        const result = await attack(
          sandbox,
          canaries,
          way,
          `ls -A ${canaries.fakeHome}/.ssh ${canaries.fakeHome}/.aws ${canaries.autocoderHome}; wc -c < ${canaries.fakeHome}/.npmrc; ls -A ~root | wc -l`,
        )
        expect(result.stdout.replace(/\n+/g, ' ').trim()).toMatch(/:\s+\S+:\s+\S+:\s+0 0$/)
        expect(result.stdout).not.toMatch(/id_rsa|credentials|registry\.db/)
      })

      it('gives the launcher environment and nothing of the caller', async () => {
        const result = await attack(sandbox, canaries, way, 'env | cut -d= -f1 | sort')
        const names = result.stdout.trim().split('\n')
        expect(names).not.toContain('CALLER_SECRET')
        expect(names).not.toContain(ORCHESTRATOR_VARIABLE)
        expect(names).toEqual(
          expect.arrayContaining(['HOME', 'TMPDIR', 'PATH', 'HTTPS_PROXY', 'NO_PROXY', 'LANG']),
        )
      })
    })
  }
})
