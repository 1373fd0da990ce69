/**
 * How often a component rendered, counted the way React DevTools learns of renders: through the
 * DevTools hook React calls after every commit. <Profiler> cannot count these: a component that
 * renders again for a context (not its parent) is not reported to a Profiler around it (React's
 * lazy context propagation sets the Profiler's flag too late). Import this before react-dom.
 *
 * A component rendered in a commit when its fiber holds new hook objects (React makes them anew
 * on each render and keeps them when it skips the component).
 */
type Fiber = { type: unknown; elementType: unknown; memoizedState: unknown; child: Fiber | null; sibling: Fiber | null }

const counted = new Map<unknown, { renders: number; seen: WeakSet<object> }>()

function visit(fiber: Fiber | null): void {
  for (let f = fiber; f; f = f.sibling) {
    const entry = counted.get(f.elementType) ?? counted.get(f.type)
    if (entry && typeof f.memoizedState === 'object' && f.memoizedState !== null && !entry.seen.has(f.memoizedState)) {
      entry.seen.add(f.memoizedState)
      entry.renders++
    }
    visit(f.child)
  }
}

const hook = {
  supportsFiber: true,
  renderers: new Map(),
  inject: () => 1,
  checkDCE() {},
  onCommitFiberRoot(_id: number, root: { current: Fiber }) {
    if (counted.size > 0) visit(root.current)
  },
  onCommitFiberUnmount() {},
  onPostCommitFiberRoot() {},
}
if ('__REACT_DEVTOOLS_GLOBAL_HOOK__' in globalThis) throw new Error('render-count.ts must be imported before react-dom, once')
;(globalThis as { __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = hook

/** Starts counting the renders of `component` (a function component or a memo of one); read `.renders`. */
export function countRenders(component: unknown): { readonly renders: number } {
  const entry = { renders: 0, seen: new WeakSet<object>() }
  counted.set(component, entry)
  return entry
}
