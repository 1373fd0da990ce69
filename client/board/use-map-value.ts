/** A value read from a Y.Map, kept current as the map changes (facilitation state, the doc's meta). */
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

export function useMapValue<T>(map: Y.Map<unknown> | null, read: (map: Y.Map<unknown>) => T, initial: T): T {
  const [value, setValue] = useState<T>(initial)
  useEffect(() => {
    if (!map) return
    const update = () => setValue(read(map))
    update()
    map.observe(update)
    return () => map.unobserve(update)
  }, [map, read])
  return value
}
