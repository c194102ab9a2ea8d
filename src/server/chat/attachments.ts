import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import type { ChatAttachment } from '../../core/api/index.js'
import { err, ok } from '../../core/index.js'
import type { Result } from '../../core/index.js'
import type { ServerError } from '../error-codes.js'

/** Where images sent to a chat are kept, relative to the project (inside the project, so Read may open them). */
export const ATTACHMENTS_DIR = join('.autocoder', 'chat-attachments')

const SIGNATURES: Readonly<Record<ChatAttachment['mimeType'], { bytes: number[]; ext: string }>> = {
  'image/png': { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], ext: 'png' },
  'image/jpeg': { bytes: [0xff, 0xd8, 0xff], ext: 'jpg' },
}

export interface SavedAttachment {
  filename: string
  /** Project-relative path. */
  path: string
}

/**
 * Checks that each attachment really is the image its type says (by its first bytes) and saves
 * it under a random name; nothing is saved when one is invalid.
 */
export function saveAttachments(
  projectDir: string,
  attachments: readonly ChatAttachment[],
): Result<SavedAttachment[], ServerError> {
  const decoded = attachments.map((attachment) => ({
    attachment,
    data: Buffer.from(attachment.base64Data, 'base64'),
  }))
  for (const { attachment, data } of decoded) {
    const signature = SIGNATURES[attachment.mimeType]
    if (
      data.length < signature.bytes.length ||
      signature.bytes.some((byte, index) => data[index] !== byte)
    ) {
      return err(
        'INVALID_ATTACHMENT',
        `Invalid attachment "${attachment.filename.slice(0, 100)}": the data is not a ${attachment.mimeType} image.`,
      )
    }
  }
  mkdirSync(join(projectDir, ATTACHMENTS_DIR), { recursive: true })
  return ok(
    decoded.map(({ attachment, data }) => {
      const path = join(
        ATTACHMENTS_DIR,
        `${randomBytes(8).toString('hex')}.${SIGNATURES[attachment.mimeType].ext}`,
      )
      writeFileSync(join(projectDir, path), data)
      return { filename: attachment.filename, path }
    }),
  )
}
