/**
 * Templates are data (data/templates/*.json): the frames of a session, in order, with a title and
 * short instructions per frame in Dutch and English. `{targetYear}` and `{centraleOpgave}` in a
 * text are filled in from the session.
 */
import { z } from 'zod'
import { Localized, Phase, ReportLayout } from './model.ts'
import conference from './data/templates/24-uursconferentie.json' with { type: 'json' }
import breakthrough from './data/templates/doorbraaksessie.json' with { type: 'json' }
import neighbourhood from './data/templates/wijkagenda.json' with { type: 'json' }
import familyPlan from './data/templates/eigen-kracht-plan.json' with { type: 'json' }
import workshop from './data/templates/actielijn-werkplaats.json' with { type: 'json' }

export const FRAME_LAYOUTS = ['plain', 'eras', 'groups'] as const

export const TemplateFrame = z.object({
  phase: Phase,
  layout: z.enum(FRAME_LAYOUTS),
  title: Localized,
  instructions: Localized,
  w: z.number().int().min(200).max(10_000),
  /** 0: computed from the layout (e.g. one row per stakeholder group). */
  h: z.number().int().min(0).max(10_000),
  /** Planned duration of the phase, for the agenda. */
  minutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(30),
})
export type TemplateFrame = z.infer<typeof TemplateFrame>

export const Template = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,60}$/),
  name: Localized,
  description: Localized,
  frames: z.array(TemplateFrame).min(1, 'a template needs at least one frame'),
  /** How its report reads; absent: by the board's own frames (only the 24-uursconferentie is the booklet). */
  report: ReportLayout.optional(),
})
export type Template = z.infer<typeof Template>

/** Parses a template, throwing an error that names the missing or wrong field. */
export function parseTemplate(data: unknown): Template {
  const result = Template.safeParse(data)
  if (!result.success) {
    const issue = result.error.issues[0]!
    throw new Error(`invalid template: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return result.data
}

export const TEMPLATES: readonly Template[] = [conference, breakthrough, neighbourhood, familyPlan, workshop].map(parseTemplate)

export function findTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id)
}

/** How a board made from the template `id` reports (a template made in code, or none: by its frames). */
export const reportLayoutOf = (id: string): ReportLayout => findTemplate(id)?.report ?? 'frames'

export function fillIn(text: string, values: { targetYear: number; centraleOpgave: string }): string {
  return text.replaceAll('{targetYear}', String(values.targetYear)).replaceAll('{centraleOpgave}', values.centraleOpgave)
}
