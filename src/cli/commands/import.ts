import type { Command } from 'commander'

import { CliError, orFail } from '../util.js'

/** Registers `autocoder import <dir>`: adopt a project made by the Python reference implementation. */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      'Adopt a project made by the Python autocoder (its features database or feature_list.json, and its app spec)',
    )
    .argument('<dir>', 'the reference project folder')
    .option(
      '--name <name>',
      'register the project under this name (default: the folder name, if free)',
    )
    .option('--no-register', 'do not add the project to the registry')
    .action(async (dir: string, options: { name?: string; register: boolean }) => {
      const { importReferenceProject } = await import('../../store/index.js')
      const { Registry } = await import('../../store/index.js')
      const report = orFail(importReferenceProject(dir))
      process.stdout.write(
        `imported ${report.features} features from ${report.source}` +
          ` (${report.passing} passing, ${report.needsHuman} waiting for a person)\n`,
      )
      if (report.specCopied) process.stdout.write(`app spec copied to ${report.specPath}\n`)
      for (const warning of report.warnings) process.stdout.write(`warning: ${warning}\n`)
      if (!options.register) return
      const registry = orFail(Registry.open())
      try {
        const name = options.name ?? report.suggestedName
        const added = registry.add(name, report.projectDir)
        if (added.ok) process.stdout.write(`registered as ${added.value.name}\n`)
        else if (options.name) throw new CliError(added.error.message)
        else
          process.stdout.write(
            `not registered: ${added.error.message} Use --name to choose a name.\n`,
          )
      } finally {
        registry.close()
      }
    })
}
