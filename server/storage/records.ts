/**
 * Small JSON records by scope (a programme), kind and id, listed in the order they were first
 * written: server/programmes/ keeps programmes, their boards, action lines, progress updates and
 * sign-ups this way.
 */
export interface RecordStore {
  /** Writes or replaces one (its place in the order stays). */
  put(scope: string, kind: string, id: string, json: string): Promise<void>
  /** Writes a record that must not exist yet (append-only histories); false when it does. */
  insert(scope: string, kind: string, id: string, json: string): Promise<boolean>
  get(scope: string, kind: string, id: string): Promise<string | null>
  /**
   * Removes a record for good (personal data on request), from the database's files too: no copy
   * stays readable in SQLite's file or log, nor in PostgreSQL's table; false when there was none.
   */
  delete(scope: string, kind: string, id: string): Promise<boolean>
  list(scope: string, kind: string): Promise<{ id: string; json: string }[]>
}
