import { describe, expect, it } from 'vitest'
import { readConfig } from '../../server/config.ts'

describe('configuration for several servers', () => {
  it('neither DATABASE_URL nor REDIS_URL: one process with SQLite, as npm start has always been', () => {
    const config = readConfig({}, false)
    expect(config.databaseUrl).toBeUndefined()
    expect(config.redisUrl).toBeUndefined()
    expect(config.databaseSchema).toBe('public')
  })

  it('takes a PostgreSQL URL and schema, and refuses anything else with a message naming the variable', () => {
    expect(readConfig({ DATABASE_URL: 'postgres://u@h:5432/d', DATABASE_SCHEMA: 'samen' }, false)).toMatchObject({
      databaseUrl: 'postgres://u@h:5432/d',
      databaseSchema: 'samen',
    })
    expect(readConfig({ DATABASE_URL: 'postgresql://u@h/d' }, false).databaseUrl).toBe('postgresql://u@h/d')
    expect(() => readConfig({ DATABASE_URL: 'mysql://u@h/d' }, false)).toThrow(/DATABASE_URL must start with postgres/)
    expect(() => readConfig({ DATABASE_SCHEMA: 'x; DROP TABLE boards' }, false)).toThrow(/DATABASE_SCHEMA/)
  })

  it('several processes (both URLs) need one shared TOKEN_SECRET: each checks the links the others signed', () => {
    expect(() => readConfig({ DATABASE_URL: 'postgres://h/d', REDIS_URL: 'redis://h:6379' }, false)).toThrow(/TOKEN_SECRET/)
    expect(readConfig({ DATABASE_URL: 'postgres://h/d', REDIS_URL: 'redis://h:6379', TOKEN_SECRET: 'x'.repeat(32) }, false).redisUrl).toBe('redis://h:6379')
  })

  it('takes automatic snapshots in fractions of a minute, and refuses what is not a number', () => {
    expect(readConfig({ SNAPSHOT_EVERY_MINUTES: '0.5' }, false).snapshotEveryMinutes).toBe(0.5)
    expect(() => readConfig({ SNAPSHOT_EVERY_MINUTES: 'vaak' }, false)).toThrow(/SNAPSHOT_EVERY_MINUTES/)
    expect(() => readConfig({ SNAPSHOT_EVERY_MINUTES: '-1' }, false)).toThrow(/SNAPSHOT_EVERY_MINUTES/)
  })

  it("TRUST_PROXY: false by default, true, or the proxies' addresses; a hop count or a name it cannot read stops the start with the reason", () => {
    expect(readConfig({}, false).trustProxy).toBe(false)
    expect(readConfig({ TRUST_PROXY: 'true' }, false).trustProxy).toBe(true)
    expect(readConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback' }, false).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'loopback'])
    expect(() => readConfig({ TRUST_PROXY: '1' }, false)).toThrow(/hop count.*TRUST_PROXY=127\.0\.0\.1/)
    expect(() => readConfig({ TRUST_PROXY: 'nginx' }, false)).toThrow(/TRUST_PROXY must be true, false or the proxies' addresses/)
  })

  it('PUBLIC_ORIGIN: unset by default (localhost and IP addresses only), an origin as browsers send it, else a stop with the reason', () => {
    expect(readConfig({}, false).publicOrigin).toBeUndefined()
    expect(readConfig({ PUBLIC_ORIGIN: 'https://Bord.Example.org/' }, false).publicOrigin).toBe('https://bord.example.org')
    expect(readConfig({ PUBLIC_ORIGIN: 'https://bord.example.org:8443' }, false).publicOrigin).toBe('https://bord.example.org:8443')
    expect(() => readConfig({ PUBLIC_ORIGIN: 'bord.example.org' }, false)).toThrow(/PUBLIC_ORIGIN/)
    expect(() => readConfig({ PUBLIC_ORIGIN: 'https://bord.example.org/b/' }, false)).toThrow(/no path/)
  })
})
