import type { ChatServerFrame } from '../../core/api/index.js'
import type { Result } from '../../core/index.js'
import type { ProjectRef } from '../projects.js'
import { existingSpecs, readSpec, writeSpec } from './spec-files.js'
import type { ErrorCode, ServerError } from '../error-codes.js'

/** How a chat's helpers speak: frames to the client, notes in the conversation. */
export interface ChatOutput {
  send(frame: ChatServerFrame): void
  error(code: ErrorCode, message: string): void
  /** A system note in the conversation, which later turns read. */
  note(text: string): void
  /** The message with the user's home folder hidden. */
  redact(message: string): string
}

export interface InitializerOptions {
  yolo: boolean
}

export type StartInitializer = (
  project: ProjectRef,
  options: InitializerOptions,
) => Promise<Result<unknown, ServerError>>

/**
 * The spec chat's ending: the model's draft is written (or, when a spec exists, held until the
 * person confirms replacing it), then the person may start the initializer on it.
 */
export class SpecFlow {
  #pendingDraft: string | null = null

  constructor(
    private readonly project: ProjectRef,
    private readonly out: ChatOutput,
  ) {}

  /** The model's draft: written at once, or held while the person is asked to replace a spec. */
  write(content: string): 'written' | 'confirmation_asked' {
    const existing = existingSpecs(this.project.dir)
    if (existing.length > 0) {
      this.#pendingDraft = content
      this.out.note(
        `The model drafted a new specification; a specification exists (${existing.join(', ')}), so the person was asked to confirm replacing it.`,
      )
      this.out.send({ type: 'confirm_overwrite', files: existing })
      return 'confirmation_asked'
    }
    this.#commit(content)
    return 'written'
  }

  /** The person's answer about replacing the existing spec with the held draft. */
  confirmOverwrite(accept: boolean): void {
    const draft = this.#pendingDraft
    if (draft === null)
      return this.out.error('NOTHING_TO_CONFIRM', 'There is no draft waiting for confirmation.')
    this.#pendingDraft = null
    if (accept) {
      this.#commit(draft)
      this.out.note(
        'The person confirmed: the existing specification was replaced by the new draft.',
      )
    } else {
      this.out.note(
        'The person declined: the existing specification was kept and the draft discarded.',
      )
      this.out.send({ type: 'spec_kept', path: existingSpecs(this.project.dir)[0] ?? '' })
    }
  }

  /** Starts the initializer on the written spec (the server's run manager, when it has one). */
  async startInitializer(start: StartInitializer | undefined, yolo: boolean): Promise<void> {
    if (readSpec(this.project.dir) === null)
      return this.out.error('NO_SPEC', 'Write the specification first.')
    if (!start)
      return this.out.error(
        'NOT_AVAILABLE',
        'This server cannot start agents; run `autocoder run` in the project.',
      )
    try {
      const started = await start(this.project, { yolo })
      if (!started.ok)
        return this.out.error(started.error.code, this.out.redact(started.error.message))
      this.out.send({ type: 'initializer_started' })
    } catch {
      this.out.error('INTERNAL', 'The initializer could not be started.')
    }
  }

  #commit(content: string): void {
    const written = writeSpec(this.project.dir, content)
    for (const path of written) this.out.send({ type: 'file_written', path })
    this.out.send({ type: 'spec_complete', path: written[0]! })
  }
}
