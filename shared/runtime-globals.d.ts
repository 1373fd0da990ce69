/**
 * The only globals shared/ may use beyond ECMAScript: the ones browsers and Node (≥ 19) both
 * provide (WinterTC's minimum common API), typed as narrowly as shared/ needs them. shared/ is
 * compiled without the DOM and Node libraries so `document` or `node:fs` here fails the type check;
 * add a global to this list only when both runtimes have it.
 */

/** A browser gives a number, Node a Timeout object: shared code only hands it back to clearTimeout. */
interface TimerHandle {
  readonly __timerHandle: unique symbol
}
declare function setTimeout(callback: () => void, ms?: number): TimerHandle
declare function clearTimeout(handle: TimerHandle | undefined): void

declare class TextEncoder {
  encode(input?: string): Uint8Array
}

declare var crypto: {
  getRandomValues<T extends Uint8Array>(array: T): T
}
