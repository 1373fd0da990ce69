import { describe, expect, it } from 'vitest'
import { ClientErrorLimits, ClientErrorReport, clientErrorReport } from '../../shared/client-error.ts'

describe('a client error report', () => {
  it('drops the query of every URL (links carry tokens) and is cut to what the server accepts', () => {
    const error = new TypeError('failed at http://host/b/oefen?token=secret#x')
    error.stack = `TypeError: x\n    at f (http://host/assets/a.js?v=1:1:2)\n${'    at g (x.js:1:1)\n'.repeat(300)}`
    const report = clientErrorReport('trash', error, { board: 'oefen', connection: '42' })
    expect(report.message).toBe('TypeError: failed at http://host/b/oefen')
    expect(report.stack).toContain('at f (http://host/assets/a.js:1:2)')
    expect(report.stack).not.toContain('token')
    expect(report.stack!.length).toBe(ClientErrorLimits.stack)
    expect(ClientErrorReport.safeParse(report).success).toBe(true)
    expect(clientErrorReport('lobby', 'plain', {})).toEqual({ where: 'lobby', message: 'plain', stack: '' })
  })
})
