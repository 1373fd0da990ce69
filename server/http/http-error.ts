/**
 * The one error that carries an HTTP status. Domain services (votes, snapshots, import) throw
 * it for a refusal the caller should see; the HTTP layer turns it into `{ "error": message }`.
 */
export class HttpError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}
