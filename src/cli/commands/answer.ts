import type { Command } from 'commander'

import { orFail, parseId, withStore } from '../util.js'

/** Registers `autocoder answer --project DIR FEATURE "text"`. */
export function registerAnswerCommand(program: Command): void {
  program
    .command('answer')
    .description(
      'Answer the question of a feature that waits for a person; it becomes pending again',
    )
    .requiredOption('-p, --project <dir>', 'project folder or registered name')
    .argument('<feature>', 'feature id')
    .argument('<text>', 'the answer')
    .action(async (feature: string, text: string, options: { project: string }) => {
      const { answerFeature } = await import('../../store/index.js')
      await withStore(options.project, (store) => {
        const id = parseId(feature, 'feature id')
        const question = store.notes.latest(id, 'question')
        orFail(answerFeature(store, id, text, { actor: 'operator', by: 'operator' }))
        const asked = question ? ` to "${question.text.split('\n')[0]}"` : ''
        process.stdout.write(
          `Answered feature #${id}${asked}; it is pending again and the next agent sees the answer.\n`,
        )
      })
    })
}
