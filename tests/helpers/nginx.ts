/**
 * Debian's nginx (installed by scripts/ensure-test-tools.sh) running deploy/nginx.conf — the
 * configuration the README gives — with the test's ports; stopped after the test.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from './ports.ts'
import { onCleanup, tempDataDir } from './server.ts'
import { waitFor } from './wait.ts'

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p))

export async function startNginx(backends: number[]): Promise<{ port: number; url: string }> {
  if (!NGINX) throw new Error('nginx not found: apt-get install -y nginx (scripts/ensure-test-tools.sh does)')
  const dir = tempDataDir()
  mkdirSync(join(dir, 'logs'), { recursive: true })
  const port = await freePort()
  const site = readFileSync(join(process.cwd(), 'deploy/nginx.conf'), 'utf8')
    .replace(/upstream samen_servers \{[^}]*\}/, `upstream samen_servers {\n${backends.map((p) => `    server 127.0.0.1:${p};`).join('\n')}\n}`)
    .replace('listen 8080;', `listen 127.0.0.1:${port};`)
  if (!site.includes(`listen 127.0.0.1:${port};`)) throw new Error('deploy/nginx.conf no longer has "listen 8080;"')
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`
  writeFileSync(join(dir, 'nginx.conf'), `daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs/error.log')} warn;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  ${site}
}
`)
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  onCleanup(async () => {
    child.kill('SIGQUIT')
    await exited
  })
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${err}${existsSync(join(dir, 'logs/error.log')) ? readFileSync(join(dir, 'logs/error.log'), 'utf8') : ''}`)
    return fetch(`${url}/healthz`).then((r) => r.ok, () => false)
  }, { what: 'nginx answering' })
  return { port, url }
}
