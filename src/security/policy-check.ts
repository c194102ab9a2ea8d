// What `autocoder policy check` and `policy list` load, as one entry: scripts/build.mjs bundles it
// into one file, because Node 20's ESM loader resolves and reads the ~45 files behind it one by one
// (~40 ms of the command's start). Its own copies of these modules are not shared with the
// per-file build: a process that loads this file loads no other part of the security module.
export { loadBashParser } from './bash-parser.js'
export { decideBash } from './decide-bash.js'
export { loadPolicy } from './load-policy.js'
export { resolvePathOnDisk } from './resolve-path-fs.js'
