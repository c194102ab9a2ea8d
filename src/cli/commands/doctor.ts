import { homedir } from 'node:os'

import type { Command } from 'commander'

import { globalSettings, printJson, resolveProjectDir } from '../util.js'

async function readSettings(projectDir: string | undefined): Promise<{
  global: Record<string, unknown>
  project: Record<string, unknown>
}> {
  const global = await globalSettings()
  if (projectDir === undefined) return { global, project: {} }
  const { ProjectStore } = await import('../../store/index.js')
  const store = ProjectStore.open(projectDir)
  if (!store.ok) return { global, project: {} }
  try {
    return { global, project: store.value.settings.all() }
  } finally {
    store.value.close()
  }
}

/** Registers `autocoder doctor`: checks everything a run needs and says how to fix what is missing. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check Node, the claude binary, credentials, git, Chromium, the OS sandbox and write access',
    )
    .option('-p, --project <dir>', 'also check this project (folder or registered name)')
    .option('--json', 'print the checks as JSON')
    .action(async (options: { project?: string; json?: boolean }) => {
      const { runDoctorChecks } = await import('../../agents/index.js')
      const { autocoderHome } = await import('../../store/index.js')
      const projectDir =
        options.project === undefined ? undefined : await resolveProjectDir(options.project)
      const settings = await readSettings(projectDir)
      const checks = await runDoctorChecks({
        sources: { env: process.env, home: process.env['HOME'] ?? homedir(), ...settings },
        projectDir,
        autocoderHome: autocoderHome(),
      })
      const failed = checks.some((check) => check.required && !check.ok)
      if (options.json) printJson({ ok: !failed, checks })
      else {
        for (const check of checks) {
          const mark = check.ok ? 'ok  ' : check.required ? 'FAIL' : 'warn'
          process.stdout.write(`${mark}  ${check.name.padEnd(15)} ${check.detail}\n`)
          if (!check.ok && check.fix)
            process.stdout.write(
              `${' '.repeat(22)}fix: ${check.fix.replace(/\n\s*/g, `\n${' '.repeat(27)}`)}\n`,
            )
        }
        process.stdout.write(
          failed ? 'Something required is missing; fix the FAIL lines above.\n' : 'Ready to run.\n',
        )
      }
      if (failed) process.exitCode = 1
    })
}
