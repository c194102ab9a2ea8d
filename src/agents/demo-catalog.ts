/**
 * The demo project's features (see prompts/demo/app_spec.txt): what the scripted initializer
 * creates and the real files the scripted coding agents write for each one.
 */
export interface DemoFeature {
  name: string
  category: string
  description: string
  steps: string[]
  /** Files the coding agent writes, relative to the project. */
  files: Record<string, string>
  /** The check the agent runs before it reports the feature passing. */
  check: string
}

function utility(name: string, description: string, body: string, asserts: string[]): DemoFeature {
  return {
    name,
    category: 'functional',
    description,
    steps: [
      `import { ${name} } from src/${name}.mjs`,
      ...asserts.map((line) => `check ${line}`),
      `run node --test test/${name}.test.mjs`,
    ],
    files: {
      [`src/${name}.mjs`]: `/** ${description} */\nexport function ${name}${body}\n`,
      [`test/${name}.test.mjs`]: [
        "import assert from 'node:assert/strict'",
        "import { test } from 'node:test'",
        '',
        `import { ${name} } from '../src/${name}.mjs'`,
        '',
        `test('${name}', () => {`,
        ...asserts.map((line) => `  assert.${line}`),
        '})',
        '',
      ].join('\n'),
    },
    check: `node --test test/${name}.test.mjs`,
  }
}

/** init.sh, written by the initializer; the skeleton feature writes it too, should a crash have lost it. */
export const DEMO_INIT_SCRIPT =
  '#!/bin/sh\n# textkit has no server: run the tests.\nnode --test test/\n'

const skeleton: DemoFeature = {
  name: 'Project skeleton',
  category: 'setup',
  description: 'package.json with a test script; src/ and test/ folders.',
  steps: ['package.json exists with "type": "module"', 'npm test runs node --test'],
  files: {
    'init.sh': DEMO_INIT_SCRIPT,
    'package.json': `${JSON.stringify({ name: 'textkit', version: '0.1.0', type: 'module', scripts: { test: 'node --test test/' } }, null, 2)}\n`,
    'src/index.mjs': '// textkit: one module per function in this folder.\n',
    'test/skeleton.test.mjs':
      "import assert from 'node:assert/strict'\nimport { test } from 'node:test'\n\ntest('skeleton', () => assert.ok(true))\n",
  },
  check: 'node --test test/skeleton.test.mjs',
}

export const DEMO_FEATURES: readonly DemoFeature[] = [
  skeleton,
  utility(
    'slugify',
    'Lower case, words joined by "-", punctuation removed.',
    "(text) {\n  return text.toLowerCase().replace(/[^a-z0-9\\s-]/g, '').trim().split(/[\\s-]+/).filter(Boolean).join('-')\n}",
    ["equal(slugify('Hello, World!'), 'hello-world')", "equal(slugify('  a  b '), 'a-b')"],
  ),
  utility(
    'capitalize',
    'First letter of every word in upper case.',
    '(text) {\n  return text.replace(/\\b\\w/g, (letter) => letter.toUpperCase())\n}',
    ["equal(capitalize('hello world'), 'Hello World')"],
  ),
  utility(
    'wordCount',
    'Number of words; 0 for blank text.',
    "(text) {\n  return text.trim() === '' ? 0 : text.trim().split(/\\s+/).length\n}",
    ["equal(wordCount('one two  three'), 3)", "equal(wordCount('   '), 0)"],
  ),
  utility(
    'reverse',
    'Characters in reverse order.',
    "(text) {\n  return [...text].reverse().join('')\n}",
    ["equal(reverse('abc'), 'cba')"],
  ),
  utility(
    'isPalindrome',
    'True when the letters read the same both ways, ignoring case and spaces.',
    "(text) {\n  const letters = text.toLowerCase().replace(/[^a-z0-9]/g, '')\n  return letters === [...letters].reverse().join('')\n}",
    ["equal(isPalindrome('Never odd or even'), true)", "equal(isPalindrome('abc'), false)"],
  ),
  utility(
    'truncate',
    'At most max characters, ending in "…" when cut.',
    '(text, max) {\n  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`\n}',
    ["equal(truncate('abcdef', 4), 'abc…')", "equal(truncate('ab', 4), 'ab')"],
  ),
  utility(
    'camelCase',
    'Words joined in camelCase.',
    "(text) {\n  return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map((word, i) => (i === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('')\n}",
    ["equal(camelCase('hello big world'), 'helloBigWorld')"],
  ),
]

export const MAX_DEMO_FEATURES = DEMO_FEATURES.length
