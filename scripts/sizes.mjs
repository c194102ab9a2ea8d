#!/usr/bin/env node
// Prints the largest files and functions under the given folders (default `src`) and fails when
// a file is over --max-file lines or a function over --max-function lines (issue: small parts).
//
//   node scripts/sizes.mjs [--top N] [--max-file 400] [--max-function 80] [folder...]
//
// A function is any function declaration, method, accessor, constructor, function expression or
// arrow function; its size is the count of lines from its first to its last line. A nested
// function counts inside its parent too, as a reader reads it.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

const usage =
  'usage: node scripts/sizes.mjs [--top N] [--max-file LINES] [--max-function LINES] [folder...]'

function parseArgs(argv) {
  const options = { top: 10, maxFile: 400, maxFunction: 80, roots: [] }
  const numbers = { '--top': 'top', '--max-file': 'maxFile', '--max-function': 'maxFunction' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') {
      console.log(usage)
      process.exit(0)
    }
    if (arg in numbers) {
      const value = Number(argv[++i])
      if (!Number.isInteger(value) || value < 1) {
        console.error(`${arg} takes a whole number above 0 (got ${argv[i] ?? 'nothing'})\n${usage}`)
        process.exit(2)
      }
      options[numbers[arg]] = value
    } else if (arg.startsWith('-')) {
      console.error(`unknown option ${arg}\n${usage}`)
      process.exit(2)
    } else options.roots.push(arg)
  }
  if (options.roots.length === 0) options.roots.push('src')
  return options
}

function sourceFiles(dir) {
  const found = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path))
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) found.push(path)
  }
  return found
}

function functionName(node, file) {
  if (node.name !== undefined) return node.name.getText(file)
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  const parent = node.parent
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))
    return parent.name.getText(file)
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText(file)})`
  return '(anonymous)'
}

function measure(path) {
  const text = readFileSync(path, 'utf8')
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
  const functions = []
  const lineOf = (pos) => file.getLineAndCharacterOfPosition(pos).line
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(file)) + 1
      functions.push({
        path,
        line: lineOf(node.getStart(file)) + 1,
        name: functionName(node, file),
        lines,
      })
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return {
    path,
    lines: file.getLineAndCharacterOfPosition(text.length).line + (text.endsWith('\n') ? 0 : 1),
    functions,
  }
}

const options = parseArgs(process.argv.slice(2))
const measured = options.roots.flatMap(sourceFiles).map(measure)
const files = [...measured].sort((a, b) => b.lines - a.lines)
const functions = measured.flatMap((m) => m.functions).sort((a, b) => b.lines - a.lines)
const show = (path) => relative(process.cwd(), path)

console.log(`Largest files (limit ${options.maxFile} lines):`)
for (const f of files.slice(0, options.top))
  console.log(`  ${String(f.lines).padStart(5)}  ${show(f.path)}`)
console.log(`Largest functions (limit ${options.maxFunction} lines):`)
for (const f of functions.slice(0, options.top))
  console.log(`  ${String(f.lines).padStart(5)}  ${show(f.path)}:${f.line} ${f.name}`)

const bigFiles = files.filter((f) => f.lines > options.maxFile)
const bigFunctions = functions.filter((f) => f.lines > options.maxFunction)
if (bigFiles.length + bigFunctions.length > 0) {
  console.error(
    `\n${bigFiles.length} file(s) over ${options.maxFile} lines and ${bigFunctions.length} function(s) over ${options.maxFunction} lines:`,
  )
  for (const f of bigFiles) console.error(`  file ${show(f.path)}: ${f.lines} lines`)
  for (const f of bigFunctions)
    console.error(`  function ${show(f.path)}:${f.line} ${f.name}: ${f.lines} lines`)
  console.error('Split them by what their parts do (see STYLE.md), then run this again.')
  process.exit(1)
}
