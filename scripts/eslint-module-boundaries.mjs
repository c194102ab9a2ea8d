// ESLint rule `boundaries/modules`: the folder import rules of STYLE.md §1 at any depth.
// Every relative import in src/ is resolved to the file it names, so `../../store/x.js` from
// src/server/routes/ is seen as server -> store, whatever the nesting. Two checks per import that
// crosses from one module to another:
//   direction: the importing module lists the imported one in `mayImport` (with the reason why not);
//   entry:     the import names the module's index.js, never one of its internal files.
// Nested modules (core/api, server/chat) are modules of their own: their parent and everyone else
// import them through their index; they import their parent's files like any file of the parent.
// Declared exceptions (file globs -> internal file, each with a reason) and `limits` (a module that
// only some files may import) come from the configuration in eslint.config.mjs.
import path from 'node:path'

/** `*` matches inside one folder, `**` across folders; the rest literally. */
function globToRegExp(glob) {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*'
      i++
    } else if (char === '*') source += '[^/]*'
    else source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

const matchesAny = (globs, file) => globs.some((glob) => globToRegExp(glob).test(file))

/** The module a path (relative to src, without extension) belongs to: the longest module prefix. */
function moduleOf(modules, rel) {
  let found
  for (const name of modules)
    if ((rel === name || rel.startsWith(`${name}/`)) && (!found || name.length > found.length))
      found = name
  return found
}

const topOf = (name) => name.split('/')[0]
const isInside = (inner, outer) => inner.startsWith(`${outer}/`)

function checkImport(options, fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined
  const srcRoot = path.resolve(options.root, 'src')
  const toAbs = path.resolve(path.dirname(fromFile), specifier)
  const from = path.relative(srcRoot, fromFile).split(path.sep).join('/').replace(/\.ts$/, '')
  const to = path.relative(srcRoot, toAbs).split(path.sep).join('/').replace(/\.js$/, '')
  if (from.startsWith('..') || to.startsWith('..')) return undefined
  const names = Object.keys(options.modules)
  const fromMod = moduleOf(names, from)
  const toMod = moduleOf(names, to)
  // A folder nobody declared would be unchecked: every file of src/ must belong to a module.
  const unknown = !fromMod ? from : !toMod ? to : undefined
  if (unknown !== undefined)
    return { messageId: 'unknown', data: { folder: `src/${unknown.split('/')[0]}` } }
  if (fromMod === toMod) return undefined
  // A nested module is part of its parent: it reaches the parent's files directly (importing the
  // parent's index from inside would load the parent, which loads the nested module: a cycle).
  if (isInside(fromMod, toMod)) return undefined
  const fromFileRel = `src/${from}.ts`
  if (topOf(fromMod) !== topOf(toMod)) {
    const rules = options.modules[topOf(fromMod)] ?? options.modules[fromMod]
    if (!rules.mayImport.includes(topOf(toMod)))
      return { messageId: 'direction', data: { from: fromMod, to: toMod, why: rules.why } }
  }
  const limit = (options.limits ?? []).find(
    (candidate) =>
      candidate.to === topOf(toMod) &&
      (candidate.from === undefined || candidate.from === topOf(fromMod)) &&
      !matchesAny(candidate.files, fromFileRel),
  )
  if (limit) return { messageId: 'limited', data: { from: fromMod, to: toMod, why: limit.why } }
  if (to === `${toMod}/index`) return undefined
  const allowed = (options.exceptions ?? []).some(
    (exception) =>
      matchesAny(exception.files, fromFileRel) && exception.targets.includes(`src/${to}.ts`),
  )
  if (allowed) return undefined
  const index = path.posix.join(path.posix.relative(path.posix.dirname(from), toMod), 'index.js')
  return {
    messageId: 'entry',
    data: {
      to: toMod,
      internal: `src/${to}.ts`,
      index: index.startsWith('.') ? index : `./${index}`,
    },
  }
}

export const modulesRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Module direction and index-only entry, at any folder depth (STYLE §1).' },
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      direction: '{{from}} may not import {{to}}: {{why}}',
      unknown:
        '{{folder}} is not a declared module: add it to MODULE_BOUNDARIES in eslint.config.mjs (what it may import and why).',
      limited: '{{to}} may not be imported from this file of {{from}}: {{why}}',
      entry:
        "Import {{to}} through its index ('{{index}}'), not its internal file {{internal}}; if what you need is missing there, export it from the index (or declare an exception with a reason in eslint.config.mjs).",
    },
  },
  create(context) {
    const options = context.options[0]
    for (const exception of options.exceptions ?? [])
      if (!exception.why) throw new Error('boundaries/modules: every exception needs a `why`.')
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return
      const problem = checkImport(options, context.filename, node.value)
      if (problem) context.report({ node, ...problem })
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    }
  },
}

export const boundariesPlugin = { rules: { modules: modulesRule } }
