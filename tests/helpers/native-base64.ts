/**
 * Node 24 has no Uint8Array.fromBase64, so tldraw's point decoder falls back to a table that
 * reads any character as some number; Chromium, Firefox and Safari have it, and it throws at a
 * character outside base64. Import this before tldraw so that its decoder runs as in a browser:
 * atob is the same forgiving base64 as fromBase64's default (padding optional, whitespace skipped,
 * anything else refused).
 */
const withDecoder = Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }
withDecoder.fromBase64 ??= (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
export {}
