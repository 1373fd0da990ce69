/** Waits for a condition with a timeout; tests never sleep for a fixed time. */
export async function waitFor(condition: () => boolean | Promise<boolean>, { timeout = 10_000, interval = 20, what = 'condition' } = {}): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    if (await condition()) return
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}
