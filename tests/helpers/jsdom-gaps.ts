/**
 * jsdom lacks window.matchMedia, which tldraw reads once at import time to detect the
 * environment. Import this before tldraw in jsdom tests; it answers "no match" to every query.
 */
if (typeof window !== 'undefined' && typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener() {},
      removeListener() {},
      addEventListener() {},
      removeEventListener() {},
      dispatchEvent: () => false,
    }) as MediaQueryList
}
export {}
