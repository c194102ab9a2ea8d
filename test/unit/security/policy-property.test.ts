import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'

import { loadBashParser, type BashParser } from '../../../src/security/bash-parser.js'
import { decideBash, type PolicyContext } from '../../../src/security/index.js'
import { childrenOf, type SyntaxNode } from '../../../src/security/syntax.js'

import { corpusContext, corpusPolicy } from './policy-fixture.js'

// Random compositions of allowed and forbidden commands with random separators and nesting
// (substitutions, subshells, groups, bash -c, eval, wrappers, conditionals, loops): whenever a
// forbidden command is anywhere inside, the whole command is denied.

const ALLOWED = [
  'ls -la',
  'echo hi',
  'npm test',
  'git status',
  'cat package.json',
  'grep -r x src',
  'pwd',
  'node -v',
  'sleep 1',
  'mkdir -p src/a',
  'npx vitest run',
  'wc -l README.md',
]
const FORBIDDEN = [
  'sudo id',
  'shutdown now',
  'dd if=/dev/zero of=x',
  'python3 -c 1',
  'rm -rf /',
  'kill -9 1',
  'npx cowsay',
  'git -c core.sshCommand=x fetch',
  '$CMD',
  'cat ~/.ssh/id_rsa',
  'chmod 777 x',
  'echo x > /etc/passwd',
  'curl x | sh',
  'reboot',
]
const SEPARATORS = ['; ', ' && ', ' || ', ' | ', ' & ', '\n', ' |& ']

interface Composed {
  text: string
  forbidden: boolean
}

/** Escapes a string so it survives inside double quotes unchanged. */
function doubleQuoted(text: string): string {
  return `"${text.replace(/[\\"$`]/g, (ch) => `\\${ch}`)}"`
}

const NESTINGS: ((inner: string) => string)[] = [
  (inner) => `echo $(${inner})`,
  (inner) => `(${inner})`,
  (inner) => `{ ${inner}; }`,
  (inner) => `bash -c ${doubleQuoted(inner)}`,
  (inner) => `sh -c ${doubleQuoted(inner)}`,
  (inner) => `eval ${doubleQuoted(inner)}`,
  (inner) => `if true; then ${inner}; fi`,
  (inner) => `for f in a b; do ${inner}; done`,
  (inner) => `while false; do ${inner}; done`,
  (inner) => `x=$(${inner}) && echo "$x"`,
  (inner) => `cat <(${inner})`,
  (inner) => `echo hi > >(${inner})`,
  (inner) => `f() { ${inner}; }; f`,
  (inner) => `! ${inner}`,
  (inner) => `case a in a) ${inner};; esac`,
  (inner) => `echo "$(${inner})"`,
]

// tree-sitter-bash misreads some brace groups, `((`, `$((` and `! compound` (all denied, never
// allowed), so the positive property leaves those out and spaces its parentheses
const PLAIN_NESTINGS = NESTINGS.filter((nest) => !/^[{(!]|\$\(X/.test(nest('X'))).concat([
  (inner) => `echo $( ${inner} )`,
  (inner) => `( ${inner} )`,
  (inner) => `x=$( ${inner} ) && echo "$x"`,
])

const WRAPPERS = ['env FOO=1 ', 'timeout 5 ', 'nice ', 'nohup ', 'command ', 'time ']

const atom: fc.Arbitrary<Composed> = fc.oneof(
  fc.constantFrom(...ALLOWED).map((text) => ({ text, forbidden: false })),
  fc.constantFrom(...FORBIDDEN).map((text) => ({ text, forbidden: true })),
  fc
    .tuple(fc.constantFrom(...WRAPPERS), fc.constantFrom(...FORBIDDEN))
    .map(([wrapper, text]) => ({ text: wrapper + text, forbidden: true })),
  fc
    .constantFrom(...FORBIDDEN.filter((text) => !text.includes('|') && !text.includes('>')))
    .map((text) => ({ text: `echo \`${text}\``, forbidden: true })),
)

const composed: fc.Arbitrary<Composed> = fc.letrec<{ node: Composed }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc
      .tuple(tie('node'), fc.constantFrom(...SEPARATORS), tie('node'))
      .map(([left, separator, right]) => ({
        text: `${left.text}${separator}${right.text}`,
        forbidden: left.forbidden || right.forbidden,
      })),
    fc
      .tuple(fc.constantFrom(...NESTINGS), tie('node'))
      .map(([nest, inner]) => ({ text: nest(inner.text), forbidden: inner.forbidden })),
  ),
})).node

let context: PolicyContext

let parser: BashParser

beforeAll(async () => {
  context = corpusContext(await corpusPolicy())
  parser = await loadBashParser()
})

/** Whether tree-sitter-bash's tree has a command with a newline between two of its words. */
function gluesWordsAcrossLines(command: string): boolean {
  const glued = (node: SyntaxNode): boolean => {
    const words = childrenOf(node)
      .map(({ node: child }) => child)
      .filter((child) => child.isNamed && child.type !== 'comment')
    const gapHasNewline = words.some(
      (word, i) => i > 0 && command.slice(words[i - 1]!.endIndex, word.startIndex).includes('\n'),
    )
    return (
      (node.type === 'command' && gapHasNewline) ||
      childrenOf(node).some(({ node: child }) => glued(child))
    )
  }
  return parser.withTree(command, glued) ?? false
}

describe('random compositions', () => {
  it('deny every command that contains a forbidden one, however it is nested', () => {
    fc.assert(
      fc.property(composed, (command) => {
        fc.pre(command.forbidden)
        const decision = decideBash(command.text, context)
        expect(decision.allowed, `${command.text}\n-> ${decision.reason}`).toBe(false)
      }),
      { numRuns: Number(process.env['POLICY_FUZZ_RUNS'] ?? 1500) },
    )
  })

  it('allow compositions made only of allowed commands with lists, pipes and groups', () => {
    const plain = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(...ALLOWED),
        fc
          .tuple(tie('node'), fc.constantFrom(...SEPARATORS), tie('node'))
          .map(([left, separator, right]) => `${left}${separator}${right}`),
        fc
          .tuple(fc.constantFrom(...PLAIN_NESTINGS), tie('node'))
          .map(([nest, inner]) => nest(inner)),
      ),
    })).node
    fc.assert(
      fc.property(plain, (command) => {
        // tree-sitter-bash's own misreading (the test below), denied on purpose
        fc.pre(!gluesWordsAcrossLines(command))
        const decision = decideBash(command, context)
        expect(decision.allowed, `${command}\n-> ${decision.reason}`).toBe(true)
      }),
      { numRuns: Number(process.env['POLICY_ALLOW_RUNS'] ?? 500) },
    )
  })

  // Known false positives (fail-safe): tree-sitter-bash reads `a | b | c` (or `a |& b`), a
  // newline, then `d && e` as `a | ((b | c d) && e)`: the newline becomes a gap between two
  // words of one command. bash ends the command at the newline, so the trees disagree and the
  // policy denies (parser agreement). The allow property above skips exactly these trees; this
  // test turns red once the policy allows them, so the fix is noticed and the skip removed.
  it.each([
    'bash -c "ls -la" | bash -c "ls -la" |& ls -la\nls -la && ls -la',
    'echo a | ls -la | ls -la\nls -la && ls -la',
    'ls | ls | ls\nls || ls',
  ])('denies %j: tree-sitter-bash glues the words around its newline', (command) => {
    expect(gluesWordsAcrossLines(command)).toBe(true)
    const decision = decideBash(command, context)
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toMatch(/^bash and the parser split ".*\\n.*" into words differently$/)
  })
})
