import { Command } from 'commander'

const program = new Command('autocoder').description('Long-running autonomous coding with parallel Claude agents')
program.parse()
