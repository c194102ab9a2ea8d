import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import type { PreToolUseHookInput } from '@anthropic-ai/claude-agent-sdk'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { unwrap } from '../../../src/core/index.js'
import {
  createSecurityHook,
  decideBash,
  decideFileTool,
  loadPolicy,
  resolvePathOnDisk,
  type PolicyContext,
} from '../../../src/security/index.js'
import { tempDir } from '../../helpers/tmp.js'

// What the policy can only know from the disk: symbolic links (dangling ones too), a project
// .npmrc, nested repositories, and the directory Claude Code's shell is in. Real files, real git.
let project: ReturnType<typeof tempDir>
let outside: ReturnType<typeof tempDir>
let home: string
let context: PolicyContext

function git(...args: string[]): void {
  const result = spawnSync('git', args, { cwd: project.path, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
}

function bash(command: string): void {
  const result = spawnSync('bash', ['-c', command], { cwd: project.path, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`)
}

beforeEach(async () => {
  project = tempDir('autocoder-hazard-project-')
  outside = tempDir('autocoder-hazard-outside-')
  home = join(outside.path, 'home')
  mkdirSync(join(home, '.ssh'), { recursive: true })
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'FAKE KEY')
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'a@b.c')
  git('config', 'user.name', 'a')
  const policy = unwrap(await loadPolicy({ projectDir: project.path }))
  context = {
    policy,
    cwd: project.path,
    projectDir: project.path,
    homeDir: home,
    resolvePath: resolvePathOnDisk,
  }
})

afterEach(() => {
  project[Symbol.dispose]()
  outside[Symbol.dispose]()
})

describe('symbolic links on disk', () => {
  it('follows a dangling link to where a write through it would land', () => {
    symlinkSync(join(outside.path, 'not-yet'), join(project.path, 'dangling'))
    expect(decideBash('echo x > dangling', context)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining(join(outside.path, 'not-yet')),
    })
    expect(decideBash('touch dangling/below', context).allowed).toBe(false)
  })

  it('follows cd -- -L into a directory called -L that is a link out', () => {
    symlinkSync(outside.path, join(project.path, '-L'))
    expect(decideBash('cd -- -L && echo x > written', context).allowed).toBe(false)
    expect(decideBash('cd -L && echo x > written', context).allowed).toBe(false)
  })

  it('refuses reading credentials through a link inside the project', () => {
    symlinkSync(join(home, '.ssh', 'id_rsa'), join(project.path, 'key'))
    expect(decideBash('cat key', context)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('credentials'),
    })
  })

  it('refuses writing through a wildcard that may match a link out; rm of the match removes only the link', () => {
    const target = join(outside.path, 'target.txt')
    writeFileSync(target, 'outside')
    symlinkSync(target, join(project.path, 'out-link.txt'))
    for (const command of ['echo x > out*.txt', 'chmod +x out*', 'touch out-l?nk.txt']) {
      expect(decideBash(command, context)).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('symbolic link'),
      })
    }
    expect(decideBash('cp a.txt out*', context).allowed).toBe(false)
    const remove = decideBash('rm -f out*.txt', context)
    expect(remove.allowed, remove.reason).toBe(true)
    bash('rm -f out*.txt')
    expect(existsSync(join(project.path, 'out-link.txt'))).toBe(false)
    expect(readFileSync(target, 'utf8')).toBe('outside')
  })

  it('refuses writing through a link that a git command in the same command restores', () => {
    symlinkSync(outside.path, join(project.path, 'link'))
    git('add', 'link')
    git('commit', '-qm', 'link')
    git('rm', '-q', 'link')
    git('commit', '-qm', 'gone')
    // in one command the restored link is invisible to the check: refused
    expect(decideBash('git checkout HEAD~1 -- link && echo x > link/file', context)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('symbolic link'),
    })
    // as two commands, the second sees the link on disk
    const restore = decideBash('git checkout HEAD~1 -- link', context)
    expect(restore.allowed, restore.reason).toBe(true)
    git('checkout', 'HEAD~1', '--', 'link')
    expect(decideBash('echo x > link/file', context).allowed).toBe(false)
  })
})

describe('processes on this machine', () => {
  it('lets kill take a literal id only for a process working inside the checkout', async () => {
    const sleep = (cwd: string) => spawn('sleep', ['30'], { cwd, stdio: 'ignore' })
    const own = sleep(project.path)
    const other = sleep(outside.path)
    try {
      for (const command of [`kill -s KILL ${other.pid}`, `kill -9 ${other.pid}`]) {
        expect(decideBash(command, context)).toMatchObject({
          allowed: false,
          reason: expect.stringContaining('did not start it'),
        })
      }
      expect(decideBash(`kill ${process.pid}`, context)).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('autocoder itself'),
      })
      const allowed = decideBash(`kill -s TERM ${own.pid}`, context)
      expect(allowed.allowed, allowed.reason).toBe(true)
      const exited = new Promise((resolve) => own.once('exit', (_code, signal) => resolve(signal)))
      bash(`kill -s TERM ${own.pid}`)
      expect(await exited).toBe('SIGTERM')
      expect(other.exitCode).toBeNull()
      expect(other.signalCode).toBeNull()
    } finally {
      own.kill('SIGKILL')
      other.kill('SIGKILL')
    }
  })
})

/** A node server listening on a free port, working in `cwd`; resolves with it and its port. */
async function listener(cwd: string): Promise<{ child: ChildProcess; port: number }> {
  const code =
    "require('http').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })"
  const child = spawn(process.execPath, ['-e', code], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim())))
    child.once('exit', () => reject(new Error('the listener exited before it printed its port')))
  })
  return { child, port }
}

describe('processes listening on ports', () => {
  it('lets kill by lsof -ti :PORT stop only listeners working inside the checkout', async () => {
    const own = await listener(project.path)
    const other = await listener(outside.path)
    try {
      for (const command of [
        `lsof -ti :${other.port} | xargs kill`,
        `kill $(lsof -ti :${other.port})`,
        `PID=$(lsof -ti tcp:${other.port}); kill -9 $PID`,
      ]) {
        expect(decideBash(command, context)).toMatchObject({
          allowed: false,
          reason: expect.stringContaining('did not start it'),
        })
      }
      const allowed = decideBash(`kill $(lsof -ti :${own.port})`, context)
      expect(allowed.allowed, allowed.reason).toBe(true)
      const exited = new Promise((resolve) =>
        own.child.once('exit', (_c, signal) => resolve(signal)),
      )
      own.child.kill('SIGTERM')
      expect(await exited).toBe('SIGTERM')
      // nothing listens there any more: nothing outside the checkout could be hit
      expect(decideBash(`lsof -ti :${own.port} | xargs kill`, context).allowed).toBe(true)
    } finally {
      own.child.kill('SIGKILL')
      other.child.kill('SIGKILL')
    }
  })
})

describe('the project .npmrc', () => {
  it('refuses npm, npx and pnpm while an .npmrc sets a key that changes what npm runs', () => {
    writeFileSync(join(project.path, '.npmrc'), `script-shell=${join(outside.path, 'prog')}\n`)
    for (const command of ['npm test', 'npm run build', 'npx vitest run', 'pnpm install']) {
      expect(decideBash(command, context)).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('script-shell'),
      })
    }
  })

  it('allows npm with an .npmrc of safe keys, and reads the one of a subfolder npm would use', () => {
    writeFileSync(join(project.path, '.npmrc'), 'legacy-peer-deps=true\nsave-exact=true\n')
    expect(decideBash('npm install', context).allowed).toBe(true)
    mkdirSync(join(project.path, 'frontend'))
    writeFileSync(join(project.path, 'frontend', '.npmrc'), 'node-options=--require /x.js\n')
    expect(decideBash('cd frontend && npm install', context).allowed).toBe(false)
  })

  it('does not let an agent write an .npmrc, with bash or the file tools', () => {
    expect(decideBash("printf 'script-shell=/x\\n' > .npmrc && npm test", context).allowed).toBe(
      false,
    )
    expect(decideBash('cp other.npmrc frontend/.npmrc', context).allowed).toBe(false)
    expect(
      decideFileTool('Write', { file_path: join(project.path, '.npmrc'), content: 'x' }, context)
        .allowed,
    ).toBe(false)
  })
})

describe('repositories git could use', () => {
  it('refuses writing any .git, moving the repository away, and git run in a nested repository', () => {
    bash('git init -q sub')
    expect(decideBash('echo "[core] fsmonitor=x" > sub/.git/config', context).allowed).toBe(false)
    expect(decideBash('mv .git g', context).allowed).toBe(false)
    expect(
      decideFileTool('Write', { file_path: join(project.path, '.git', 'config') }, context).allowed,
    ).toBe(false)
    expect(decideBash('cd sub && git status', context)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('worktree root'),
    })
    expect(decideBash('git status && git log --oneline -3', context).allowed).toBe(true)
  })

  it('checks from the directory the shell is in, as the hook reports it', async () => {
    mkdirSync(join(project.path, 'sub'))
    const hook = createSecurityHook(context.policy, context, undefined, (command) => command)
    const input = (command: string, cwd: string): PreToolUseHookInput => ({
      hook_event_name: 'PreToolUse',
      session_id: 's',
      transcript_path: join(cwd, 't.jsonl'),
      cwd,
      permission_mode: 'bypassPermissions',
      tool_name: 'Bash',
      tool_input: { command },
      tool_use_id: 't1',
    })
    const signal = { signal: new AbortController().signal }
    const inSub = await hook(input('git status', join(project.path, 'sub')), 't1', signal)
    expect(JSON.stringify(inSub)).toContain('worktree root')
    expect(await hook(input('git status', project.path), 't1', signal)).toMatchObject({
      hookSpecificOutput: { permissionDecision: 'allow', updatedInput: { command: 'git status' } },
    })
  })
})
