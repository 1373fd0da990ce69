/**
 * zod 4 probes for `new Function('')` to compile fast parsers; under our CSP (script-src 'self')
 * that probe is a reported violation on every page. Jitless parsing needs no eval. It must run
 * before any schema is built: main.tsx imports this module first.
 */
import { z } from 'zod'

z.config({ jitless: true })
