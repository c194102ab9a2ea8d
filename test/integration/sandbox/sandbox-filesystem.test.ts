/**
 * Writes outside the worktree, attempted as an agent would through both ways in: nothing may
 * appear in the canary folder or change its victim file, on the host's /tmp or /dev/shm, in the
 * read-only .git paths or in hidden folders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Sandbox } from '../../../src/sandbox/index.js'
import { attack, makeCanaries, openFor, outsideUntouched, WAYS } from './fixture.js'
import type { Canaries } from './fixture.js'
import { skipReason } from './helpers.js'

describe.skipIf(skipReason !== null)('the sandbox keeps writes in the worktree', () => {
  let canaries: Canaries
  let sandbox: Sandbox
  const marker = `sbx-fs-${process.pid}-${Date.now()}`

  beforeAll(async () => {
    canaries = await makeCanaries('fs')
    sandbox = await openFor(canaries)
  })
  afterAll(async () => {
    await sandbox.close()
    await canaries.dispose()
  })

  const attacks = (c: Canaries): Record<string, string> => ({
    'a plain redirect': `echo pwned > ${c.outside}/a; echo pwned >> ${c.victim}`,
    'a symlink made inside': `ln -s ${c.outside} link && echo pwned > link/b; ln -s ${c.victim} v && echo pwned > v`,
    'cd -- -L through a symlink named -L': `ln -sfn ${c.outside} ./-L && cd -- -L && echo pwned > c`,
    'a hard link': `ln ${c.victim} hard && echo pwned >> hard; cp -l ${c.victim} hard2 && echo pwned >> hard2`,
    '/proc/self/root': `echo pwned > /proc/self/root${c.outside}/d; echo pwned > /proc/1/root${c.outside}/e`,
    '/proc/*/cwd': `for p in /proc/[0-9]*; do echo pwned > $p/cwd/../outside/f; done 2>/dev/null; true`,
    'rename and truncate': `mv ${c.victim} ${c.outside}/g; truncate -s 0 ${c.victim}; rm -f ${c.victim}`,
    'mount and remount': `mount --bind . ${c.outside}; mount -o remount,rw ${c.outside}; mount -t tmpfs none ${c.outside}; echo pwned > ${c.outside}/h`,
    'a new user and mount namespace': `unshare -rm sh -c 'mount -o remount,rw ${c.outside} || mount --bind ${c.project} ${c.outside}; echo pwned > ${c.outside}/i'`,
    'nsenter into pid 1': `nsenter -t 1 -m -- sh -c 'echo pwned > ${c.outside}/j'`,
    'capsh and setpriv': `capsh --caps=cap_dac_override+eip -- -c 'echo pwned > ${c.outside}/k'; setpriv --inh-caps=+all -- sh -c 'echo pwned > ${c.outside}/l'`,
    'setuid helpers': `mount --bind /tmp ${c.outside}; su -c 'echo pwned > ${c.outside}/m'; chroot / sh -c 'echo pwned > ${c.outside}/n'`,
    'python and node': `python3 -c "open('${c.outside}/o','w').write('x')"; node -e "require('fs').writeFileSync('${c.outside}/p','x')"`,
    'dd and tee': `echo pwned | tee ${c.outside}/q; dd if=/dev/zero of=${c.victim} bs=1 count=1 conv=notrunc`,
    'mknod of a disk': `mknod /tmp/disk b 8 0 && dd if=/tmp/disk of=/dev/null count=1; ls /dev`,
    'chmod and chown outside': `chmod 777 ${c.victim}; chown nobody ${c.victim}; touch -d 2000-01-01 ${c.victim}`,
  })

  for (const way of WAYS) {
    describe(`through ${way}`, () => {
      for (const name of Object.keys(attacks({} as Canaries))) {
        it(`refuses a write outside by ${name}`, async () => {
          const before = readFileSync(canaries.victim)
          const { statSync } = await import('node:fs')
          const stat = statSync(canaries.victim)
          const command = attacks(canaries)[name] ?? ''
          await attack(sandbox, canaries, way, command)
          expect(outsideUntouched(canaries)).toEqual({
            entries: ['victim.txt'],
            victim: canaries.victimBytes,
          })
          const after = statSync(canaries.victim)
          expect([after.mode, after.uid, after.mtimeMs]).toEqual([
            stat.mode,
            stat.uid,
            stat.mtimeMs,
          ])
          expect(readFileSync(canaries.victim)).toEqual(before)
        })
      }

      it('keeps .git/config and .git/hooks read-only inside the writable worktree', async () => {
        const git = join(canaries.project, '.git')
        const result = await attack(
          sandbox,
          canaries,
          way,
          `echo '[core] fsmonitor = evil' >> .git/config; printf '#!/bin/sh\\necho pwned' > .git/hooks/pre-commit; mv .git/hooks .git/old-hooks; rm -rf .git/hooks; mv .git/config .git/config2; echo ok > written.txt`,
        )
        expect(readFileSync(join(git, 'config'), 'utf8')).not.toContain('evil')
        expect(readdirSync(join(git, 'hooks'))).toEqual([])
        expect(existsSync(join(git, 'old-hooks'))).toBe(false)
        expect(existsSync(join(git, 'config2'))).toBe(false)
        expect(readFileSync(join(canaries.project, 'written.txt'), 'utf8')).toBe('ok\n')
        expect(result.stderr).toMatch(/Read-only file system|Device or resource busy/)
      })

      it("writes /tmp and /dev/shm privately, never the host's", async () => {
        const result = await attack(
          sandbox,
          canaries,
          way,
          `echo x > /tmp/${marker}-${way} && echo x > /dev/shm/${marker}-${way} && echo wrote; echo $TMPDIR $HOME; touch $HOME/ok && echo home-writable`,
        )
        expect(result.stdout).toBe('wrote\n/tmp /tmp/home\nhome-writable\n')
        expect(existsSync(`/tmp/${marker}-${way}`)).toBe(false)
        expect(existsSync(`/dev/shm/${marker}-${way}`)).toBe(false)
      })

      it('cannot write into hidden folders nor the control folder', async () => {
        const result = await attack(
          sandbox,
          canaries,
          way,
          `echo x > ${canaries.fakeHome}/.ssh/authorized_keys; echo x > ${canaries.autocoderHome}/registry.db; echo x > /run/autocoder-sandbox/x; ls /run/autocoder-sandbox`,
        )
        expect(result.stdout).toBe('proxy.sock\n')
        expect(readdirSync(join(canaries.fakeHome, '.ssh'))).toEqual(['id_rsa'])
        expect(readFileSync(join(canaries.autocoderHome, 'registry.db'), 'utf8')).toContain(
          canaries.secret,
        )
      })
    })
  }
})
