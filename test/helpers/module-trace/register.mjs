// `node --import ./register.mjs ...`: records which modules a process loads (see hooks.mjs).
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
