/// <reference types="vite/client" />
interface ImportMetaEnv {
  /** tldraw license key; without one, production builds on a public HTTPS host stop rendering after 5 s. */
  readonly VITE_TLDRAW_LICENSE_KEY?: string
}
