/**
 * The board's tldraw schema: tldraw's default shapes and bindings plus ours. The server builds
 * records with it (templates, the example) and validates against it; the client's store, built
 * from the ShapeUtils that use the same props and migrations, serializes to the same schema.
 */
import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas, type TLSchema } from '@tldraw/tlschema'
import { ACTION_LINE, actionLineMigrations, actionLineProps } from './action-line-shape.ts'
import { CONTRIBUTION, contributionMigrations, contributionProps } from './contribution-shape.ts'
import { ERA, eraMigrations, eraProps } from './era-shape.ts'
import { EXPERIMENT, experimentMigrations, experimentProps } from './experiment-shape.ts'
import { PERSONA, personaMigrations, personaProps } from './persona-shape.ts'
import { QUOTE, quoteMigrations, quoteProps } from './quote-shape.ts'
import { THEME_CARD, themeCardMigrations, themeCardProps } from './theme-card-shape.ts'

export const boardShapeSchemas = {
  [CONTRIBUTION]: { props: contributionProps, migrations: contributionMigrations },
  [THEME_CARD]: { props: themeCardProps, migrations: themeCardMigrations },
  [ACTION_LINE]: { props: actionLineProps, migrations: actionLineMigrations },
  [PERSONA]: { props: personaProps, migrations: personaMigrations },
  [QUOTE]: { props: quoteProps, migrations: quoteMigrations },
  [EXPERIMENT]: { props: experimentProps, migrations: experimentMigrations },
  [ERA]: { props: eraProps, migrations: eraMigrations },
} as const

export function createBoardSchema(): TLSchema {
  return createTLSchema({ shapes: { ...defaultShapeSchemas, ...boardShapeSchemas }, bindings: defaultBindingSchemas })
}
