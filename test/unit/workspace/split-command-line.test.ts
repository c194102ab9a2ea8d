import { describe, expect, it } from 'vitest'

import { splitCommandLine } from '../../../src/workspace/run-command.js'

describe('splitCommandLine', () => {
  it('splits words and keeps quoted words together', () => {
    expect(splitCommandLine(`npm run "test unit" --  'a b'`)).toEqual({
      ok: true,
      argv: ['npm', 'run', 'test unit', '--', 'a b'],
    })
  })

  it('keeps an empty quoted word', () => {
    expect(splitCommandLine(`node x.js ""`)).toEqual({ ok: true, argv: ['node', 'x.js', ''] })
  })

  it.each([
    'npm test && rm -rf /',
    'npm test | tee log',
    'echo $(id)',
    'ls > out',
    'a; b',
    'echo `id`',
    'ls *.ts',
  ])('refuses shell syntax in %j', (line) => {
    const result = splitCommandLine(line)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.message).toContain('argv array')
  })

  it('refuses an unclosed quote', () => {
    expect(splitCommandLine(`npm "test`)).toMatchObject({ ok: false })
  })
})
