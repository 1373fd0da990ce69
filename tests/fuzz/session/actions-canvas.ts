/**
 * tldraw's own tools and shortcuts, as people use them on the board: drawing, text, notes,
 * shapes, arrows, the eraser and frames from the toolbar; selecting, moving, resizing, deleting,
 * undo and redo, copy and paste, grouping with the keyboard.
 */
import type { Rng } from './random.ts'
import { checkPrivacy } from './expectations.ts'
import { canvasPoint, chooseTool, drag, focusCanvas, point, selectedIds, selectionBox, settle, shapesOnScreen, tap, type Point, type SeenShape } from './ui.ts'
import { anyone, canEdit, onDesktop, type Action, type Args } from './world.ts'
import type { Editor } from 'tldraw'
import type { Actor } from './cast.ts'

const WORDS = ['buurt', 'samen', 'zorg', 'jongeren', 'wonen', 'werk', 'ontmoeten', 'vrijwilligers', 'wijkteam', 'eenzaamheid', 'groen', 'sport']
/** Words people type, with a number so each text is unique (and findable in the report). */
export const someText = (rng: Rng) => `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.int(100, 999)}`

const f = (rng: Rng) => rng.fraction()
const offset = (rng: Rng) => rng.int(-25, 25) / 100

/** A point of the canvas for the step's fractions; null when the canvas is covered there. */
async function start(actor: Actor, args: Args): Promise<Point | null> {
  return canvasPoint(actor.page, Number(args.fx), Number(args.fy))
}

/** A path from p through `points` corners, spread over (dx, dy) of the viewport. */
function pathFrom(actor: Actor, p: Point, args: Args, points: number): Point[] {
  const { width, height } = actor.page.viewportSize() ?? { width: 1280, height: 800 }
  const out: Point[] = []
  for (let i = 1; i <= points; i++) {
    const t = i / points
    out.push(point(p.x + Number(args.dx) * width * t + (i % 2 ? 12 : -12), p.y + Number(args.dy) * height * t))
  }
  return out
}

async function pickShape(actor: Actor, pick: number, filter: (s: SeenShape) => boolean = () => true, keyHash = ''): Promise<SeenShape | null> {
  const shapes = (await shapesOnScreen(actor.page, keyHash)).filter(filter)
  return shapes.length === 0 ? null : shapes[pick % shapes.length]!
}

/** A tool used by dragging from a point of the canvas through `points` corners. */
function dragWith(tool: string, weight: number, who: Action['who'], points: number): Action {
  return {
    name: tool,
    weight,
    who,
    args: (rng) => ({ tool, fx: f(rng), fy: f(rng), dx: offset(rng), dy: offset(rng) }),
    async run(_world, actor, args) {
      const p = await start(actor, args)
      if (!p) return 'skipped: no free canvas'
      if (!(await chooseTool(actor, String(args.tool)))) return 'skipped: no toolbar'
      await drag(actor, p, pathFrom(actor, p, args, points))
      await settle(actor.page)
      return `${args.tool} from ${p.x},${p.y}`
    },
  }
}

/** A tool that places a shape with a click and then takes typing (tldraw's text and note). */
function typeWith(tool: string, weight: number, editing: string): Action {
  return {
    name: tool,
    weight,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ fx: f(rng), fy: f(rng), text: someText(rng) }),
    async run(world, actor, args) {
      const p = await start(actor, args)
      if (!p) return 'skipped: no free canvas'
      if (!(await chooseTool(actor, tool))) return 'skipped: no toolbar'
      await tap(actor, p)
      // Type only once its editor has focus, or the keys go to the canvas as shortcuts.
      const typing = await actor.page
        .locator(editing)
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        )
      if (typing) await actor.page.keyboard.type(String(args.text))
      const [made] = await selectedIds(actor.page)
      await settle(actor.page)
      if (made) await checkPrivacy(world, actor, made, p)
      return typing ? `${tool} ${made ?? '?'} "${args.text}" at ${p.x},${p.y}` : `${tool} tool: no editor opened`
    },
  }
}

const unlocked = (s: SeenShape) => !s.locked

async function exists(actor: Actor, id: string): Promise<boolean> {
  return actor.page.evaluate((shapeId) => !!(window as unknown as { __boardTest?: { editor?: Editor } }).__boardTest?.editor?.getShape(shapeId as never), id)
}
const isCmd = 'Control'

export const canvasActions: Action[] = [
  {
    name: 'draw',
    weight: 5,
    who: canEdit,
    args: (rng) => ({ tool: rng.pick(['draw', 'highlight']), fx: f(rng), fy: f(rng), dx: offset(rng), dy: offset(rng), points: rng.pick([0, 1, 2, 3, 5]) }),
    async run(_world, actor, args) {
      const p = await start(actor, args)
      if (!p) return 'skipped: no free canvas'
      if (!(await chooseTool(actor, String(args.tool)))) return 'skipped: no toolbar'
      const points = Number(args.points)
      // Zero points: a tap with the pen, which makes a dot.
      if (points === 0) await tap(actor, p)
      else await drag(actor, p, pathFrom(actor, p, args, points))
      await settle(actor.page)
      return `${args.tool} at ${p.x},${p.y}`
    },
  },
  typeWith('text', 3, '[contenteditable="true"]:focus'),
  typeWith('note', 4, '.tl-shape [contenteditable="true"]:focus'),
  {
    ...dragWith('geo', 3, canEdit, 2),
    args: (rng) => ({
      tool: rng.pick(['rectangle', 'ellipse', 'triangle', 'diamond', 'star', 'cloud', 'heart']),
      fx: f(rng),
      fy: f(rng),
      dx: offset(rng),
      dy: offset(rng),
    }),
  },
  {
    name: 'arrow',
    weight: 3,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ fx: f(rng), fy: f(rng), dx: offset(rng), dy: offset(rng), between: rng.chance(0.5), pick: rng.int(0, 999), pick2: rng.int(0, 999) }),
    async run(_world, actor, args) {
      const shapes = (await shapesOnScreen(actor.page)).filter((s) => s.type !== 'frame' && s.type !== 'arrow')
      let from: Point | null
      let to: Point
      let what: string
      if (args.between && shapes.length >= 2) {
        const a = shapes[Number(args.pick) % shapes.length]!
        const b = shapes[(Number(args.pick) + 1 + (Number(args.pick2) % (shapes.length - 1))) % shapes.length]!
        from = a.at
        to = b.at
        what = `arrow ${a.id} → ${b.id}`
      } else {
        from = await start(actor, args)
        if (!from) return 'skipped: no free canvas'
        to = pathFrom(actor, from, args, 1)[0]!
        what = `arrow from ${from.x},${from.y}`
      }
      if (!(await chooseTool(actor, 'arrow'))) return 'skipped: no toolbar'
      await drag(actor, from, [to])
      await settle(actor.page)
      return what
    },
  },
  dragWith('line', 2, (p) => canEdit(p) && onDesktop(p), 1),
  dragWith('eraser', 2, canEdit, 3),
  dragWith('frame', 1, (p) => canEdit(p) && onDesktop(p), 2),
  {
    name: 'select',
    weight: 4,
    who: anyone,
    args: (rng) => ({ pick: rng.int(0, 999), shift: rng.chance(0.3) }),
    async run(_world, actor, args) {
      const shape = await pickShape(actor, Number(args.pick))
      if (!shape) return 'skipped: no shape on screen'
      await tap(actor, shape.at, { shift: args.shift === true && actor.kind === 'desktop' })
      return `select ${shape.id} (${shape.type})`
    },
  },
  {
    name: 'move',
    weight: 5,
    who: canEdit,
    args: (rng) => ({ pick: rng.int(0, 999), dx: rng.int(-150, 150), dy: rng.int(-120, 120) }),
    async run(_world, actor, args) {
      const shape = await pickShape(actor, Number(args.pick), unlocked)
      if (!shape) return 'skipped: no shape on screen'
      await settle(actor.page)
      const to = point(shape.at.x + Number(args.dx), shape.at.y + Number(args.dy))
      await drag(actor, shape.at, [point((shape.at.x + to.x) / 2, (shape.at.y + to.y) / 2), to])
      return `move ${shape.id} (${shape.type}) by ${args.dx},${args.dy}`
    },
  },
  {
    name: 'resize',
    weight: 2,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ pick: rng.int(0, 999), dx: rng.int(-60, 90), dy: rng.int(-60, 90) }),
    async run(_world, actor, args) {
      const shape = await pickShape(actor, Number(args.pick), unlocked)
      if (!shape) return 'skipped: no shape on screen'
      await settle(actor.page)
      await tap(actor, shape.at)
      const box = await selectionBox(actor.page)
      if (!box) return `resize: ${shape.id} did not get selected`
      const corner = point(box.x + box.w, box.y + box.h)
      await drag(actor, corner, [point(corner.x + Number(args.dx), corner.y + Number(args.dy))])
      return `resize ${shape.id} (${shape.type}) by ${args.dx},${args.dy}`
    },
  },
  {
    name: 'delete',
    weight: 5,
    who: canEdit,
    args: (rng) => ({ pick: rng.int(0, 999), key: rng.pick(['Delete', 'Backspace']), own: rng.chance(0.7) }),
    async run(world, actor, args) {
      // People mostly delete what they made themselves; now and then someone else's.
      const own = (s: SeenShape) => !args.own || s.mine
      const shape = await pickShape(actor, Number(args.pick), (s) => unlocked(s) && s.type !== 'frame' && own(s), world.keyHash.get(actor.name))
      if (!shape) return 'skipped: no shape on screen'
      await settle(actor.page)
      await tap(actor, shape.at)
      await actor.page.keyboard.press(String(args.key))
      const kept = await exists(actor, shape.id)
      return `delete ${shape.id} (${shape.type}${shape.mine ? ', own' : ''}) "${shape.text}"${kept ? ': still there' : ''}`
    },
  },
  {
    name: 'undo',
    weight: 3,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ redo: rng.chance(0.35), times: rng.int(1, 3) }),
    async run(_world, actor, args) {
      await focusCanvas(actor.page)
      for (let i = 0; i < Number(args.times); i++) await actor.page.keyboard.press(args.redo ? `${isCmd}+Shift+Z` : `${isCmd}+Z`)
      return `${args.redo ? 'redo' : 'undo'} ×${args.times}`
    },
  },
  {
    name: 'copy-paste',
    weight: 2,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ pick: rng.int(0, 999), duplicate: rng.chance(0.4), fx: f(rng), fy: f(rng) }),
    async run(_world, actor, args) {
      const shape = await pickShape(actor, Number(args.pick), (s) => s.type !== 'frame')
      if (!shape) return 'skipped: no shape on screen'
      await settle(actor.page)
      await tap(actor, shape.at)
      if (args.duplicate) {
        await actor.page.keyboard.press(`${isCmd}+D`)
        return `duplicate ${shape.id} (${shape.type})`
      }
      await actor.page.keyboard.press(`${isCmd}+C`)
      const p = await start(actor, args)
      if (p) await actor.page.mouse.move(p.x, p.y)
      await actor.page.keyboard.press(`${isCmd}+V`)
      return `copy ${shape.id} (${shape.type}) and paste`
    },
  },
  {
    name: 'group',
    weight: 2,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ pick: rng.int(0, 999), pick2: rng.int(0, 999), ungroup: rng.chance(0.3) }),
    async run(_world, actor, args) {
      const shapes = (await shapesOnScreen(actor.page)).filter((s) => unlocked(s) && s.type !== 'frame')
      await settle(actor.page)
      if (args.ungroup) {
        const groups = shapes.filter((s) => s.type === 'group')
        if (groups.length === 0) return 'skipped: no group on screen'
        const g = groups[Number(args.pick) % groups.length]!
        await tap(actor, g.at)
        await actor.page.keyboard.press(`${isCmd}+Shift+G`)
        return `ungroup ${g.id}`
      }
      if (shapes.length < 2) return 'skipped: fewer than two shapes on screen'
      const a = shapes[Number(args.pick) % shapes.length]!
      const b = shapes[(Number(args.pick) + 1 + (Number(args.pick2) % (shapes.length - 1))) % shapes.length]!
      await tap(actor, a.at)
      await tap(actor, b.at, { shift: true })
      await actor.page.keyboard.press(`${isCmd}+G`)
      return `group ${a.id} + ${b.id}`
    },
  },
  {
    name: 'select-all-nudge',
    weight: 1,
    who: (p) => canEdit(p) && onDesktop(p),
    args: (rng) => ({ key: rng.pick(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']), big: rng.chance(0.5) }),
    async run(_world, actor, args) {
      await settle(actor.page)
      await focusCanvas(actor.page)
      await actor.page.keyboard.press(`${isCmd}+A`)
      await actor.page.keyboard.press(args.big ? `Shift+${args.key}` : String(args.key))
      await actor.page.keyboard.press('Escape')
      return `select all, nudge ${args.big ? 'shift+' : ''}${args.key}`
    },
  },
  {
    name: 'pan-zoom',
    weight: 2,
    who: onDesktop,
    args: (rng) => ({ fx: f(rng), fy: f(rng), dx: rng.int(-400, 400), dy: rng.int(-300, 300), zoom: rng.chance(0.3) }),
    async run(_world, actor, args) {
      const p = await start(actor, args)
      if (!p) return 'skipped: no free canvas'
      await actor.page.mouse.move(p.x, p.y)
      if (args.zoom) {
        await actor.page.keyboard.down(isCmd)
        await actor.page.mouse.wheel(0, Number(args.dy))
        await actor.page.keyboard.up(isCmd)
        return `zoom by ${args.dy}`
      }
      await actor.page.mouse.wheel(Number(args.dx), Number(args.dy))
      return `pan by ${args.dx},${args.dy}`
    },
  },
  {
    name: 'viewer-tries',
    weight: 2,
    who: (p) => p.role === 'viewer',
    args: (rng) => ({ pick: rng.int(0, 999), fx: f(rng), fy: f(rng), dx: offset(rng), dy: offset(rng) }),
    async run(_world, actor, args) {
      // A viewer pokes at the board: select, delete, undo, draw with the shortcut. Nothing may
      // change, and the page must not send anything the server would refuse.
      const shape = await pickShape(actor, Number(args.pick))
      if (shape) {
        await tap(actor, shape.at)
        await actor.page.keyboard.press('Delete')
      }
      await actor.page.keyboard.press(`${isCmd}+Z`)
      const p = await start(actor, args)
      if (p) {
        await actor.page.keyboard.press('d')
        await drag(actor, p, pathFrom(actor, p, args, 2))
      }
      await actor.page.keyboard.press('Escape')
      return `viewer pokes ${shape?.id ?? 'the canvas'}`
    },
  },
]
