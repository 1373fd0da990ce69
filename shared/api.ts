/** What crosses the HTTP API: request validators (zod) and response types. */
import { z } from 'zod'

export const CreateBoardBody = z
  .object({
    title: z.string().trim().max(200, 'title may be at most 200 characters').optional(),
  })
  .strict()
export type CreateBoardBody = z.infer<typeof CreateBoardBody>

export interface BoardSummary {
  id: string
  title: string
  createdAt: number
  updatedAt: number
  /** Path of the board page, e.g. `/b/<id>`. */
  path: string
}

export interface ApiError {
  error: string
}

export function boardPath(id: string): string {
  return `/b/${id}`
}

/** Turns a zod failure into one sentence that names the field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
