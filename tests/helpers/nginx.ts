/**
 * Debian's nginx (installed by scripts/ensure-test-tools.sh) running deploy/nginx.conf — the
 * configuration the README gives — with the test's ports, a self-signed certificate made here by
 * openssl for its TLS block, and its logs in a temporary directory; stopped after the test.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from './ports.ts'
import { onCleanup, tempDataDir } from './server.ts'
import { waitFor } from './wait.ts'

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p))

export interface TestNginx {
  /** The plain listener (`listen 127.0.0.1:8080`). */
  port: number
  url: string
  /** The TLS listener (`listen 443 ssl`), with `ca` as its certificate; 0 when the file has none. */
  httpsPort: number
  /** The plain listener that only redirects to HTTPS (`listen 80`); 0 when the file has none. */
  redirectPort: number
  ca: string
  /** What nginx wrote to its access log and error log so far. */
  accessLog(): string
  errorLog(): string
}

/** A self-signed certificate for 127.0.0.1, valid for a day (the recipe's TLS block needs one). */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  )
  return { cert, key }
}

export async function startNginx(backends: number[]): Promise<TestNginx> {
  if (!NGINX) throw new Error('nginx not found: apt-get install -y nginx (scripts/ensure-test-tools.sh does)')
  const dir = tempDataDir()
  const logs = join(dir, 'logs')
  mkdirSync(logs, { recursive: true })
  const [port, httpsPort, redirectPort] = [await freePort(), await freePort(), await freePort()]
  const { cert, key } = selfSigned(dir)
  let site = readFileSync(join(process.cwd(), 'deploy/nginx.conf'), 'utf8')
    // The servers as the file lists them, each with the file's own parameters (max_fails=0 …).
    .replace(/upstream samen_servers \{([^}]*)\}/, (_block, body: string) => {
      const params = /^\s*server\s+[^\s;]+([^;]*);/m.exec(body)?.[1] ?? ''
      return `upstream samen_servers {\n${backends.map((p) => `    server 127.0.0.1:${p}${params};`).join('\n')}\n}`
    })
    .replace(/listen (127\.0\.0\.1:)?8080;/, `listen 127.0.0.1:${port};`)
  if (!site.includes(`listen 127.0.0.1:${port};`)) throw new Error('deploy/nginx.conf no longer has "listen 127.0.0.1:8080;"')
  const tls = site.includes('listen 443 ssl;')
  const redirect = site.includes('listen 80;')
  site = site
    .replace('listen 443 ssl;', `listen 127.0.0.1:${httpsPort} ssl;`)
    .replace('listen 80;', `listen 127.0.0.1:${redirectPort};`)
    .replaceAll('/etc/ssl/samen/fullchain.pem', cert)
    .replaceAll('/etc/ssl/samen/privkey.pem', key)
    .replaceAll('/var/log/nginx/', `${logs}/`)
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(logs, 'error.log')} warn;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  ${site}
}
`,
  )
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  onCleanup(async () => {
    child.kill('SIGQUIT')
    await exited
  })
  const read = (name: string) => () => (existsSync(join(logs, name)) ? readFileSync(join(logs, name), 'utf8') : '')
  const url = `http://127.0.0.1:${port}`
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${err}${read('error.log')()}`)
      return fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    },
    { what: 'nginx answering' },
  )
  return {
    port,
    url,
    httpsPort: tls ? httpsPort : 0,
    redirectPort: redirect ? redirectPort : 0,
    ca: readFileSync(cert, 'utf8'),
    accessLog: read('samen-access.log'),
    errorLog: read('error.log'),
  }
}
