// A small HTTP server on 127.0.0.1 that runs the real `git http-backend` as a CGI for every
// request, behind basic auth. Authenticated users get REMOTE_USER, which makes http-backend
// accept pushes (receive-pack). Stop it with close().
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';

export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface RequestRecord {
  method: string;
  path: string;
  /** The user name when the credentials were right. */
  user?: string;
  /** Whether an Authorization header was sent at all. */
  authorization: 'none' | 'good' | 'bad';
  status: number;
}

export interface GitHttpServer {
  /** http(s)://127.0.0.1:PORT (append /<repo>.git) */
  baseUrl: string;
  port: number;
  requests: RequestRecord[];
  /** What http-backend wrote to stderr. */
  backendErrors: string[];
  /** Hold each authorized request this long before serving it (settable): keeps git's
   *  short-lived children alive long enough for a /proc watcher on a loaded machine. */
  delayMs: number;
  /** Called (settable) as each request arrives, before it is served: git and its
   *  git-remote-http child are then certainly alive, waiting for this server's answer. */
  onRequest?: () => void;
  close(): Promise<void>;
}

export interface GitHttpOptions {
  /** GIT_PROJECT_ROOT: the directory holding the bare repositories. */
  projectRoot: string;
  username: string;
  password: string;
  /** Serve HTTPS with this PEM key and certificate (see selfSignedCertificate). */
  tls?: { key: string; cert: string };
}

/** A throw-away CA-less certificate for 127.0.0.1 (openssl), written into `dir`. */
export function selfSignedCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'tls.key');
  const certFile = join(dir, 'tls.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

function checkAuth(req: IncomingMessage, o: GitHttpOptions): 'none' | 'good' | 'bad' {
  const h = req.headers.authorization;
  if (!h) return 'none';
  const m = /^Basic\s+(\S+)$/i.exec(h);
  if (!m) return 'bad';
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(0, colon) === o.username && decoded.slice(colon + 1) === o.password ? 'good' : 'bad';
}

function runCgi(req: IncomingMessage, res: ServerResponse, o: GitHttpOptions, rec: RequestRecord, errors: string[]): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: o.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    SERVER_SOFTWARE: 'git-replication-test',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_USER: o.username,
    AUTH_TYPE: 'Basic',
  };
  if (req.headers['content-type']) env.CONTENT_TYPE = req.headers['content-type'];
  // Without CONTENT_LENGTH http-backend reads the (chunked) body to EOF.
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
  if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
  const child = spawn(GIT_HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(child.stdin);
  child.stdin.on('error', () => {});
  child.stderr.on('data', (b: Buffer) => errors.push(b.toString('utf8')));
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (b: Buffer) => {
    if (headersDone) {
      res.write(b);
      return;
    }
    head = Buffer.concat([head, b]);
    let end = head.indexOf('\r\n\r\n');
    let sep = 4;
    if (end < 0) {
      end = head.indexOf('\n\n');
      sep = 2;
    }
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const c = line.indexOf(':');
      if (c < 0) continue;
      const name = line.slice(0, c).trim();
      const value = line.slice(c + 1).trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10) || 500;
      else res.setHeader(name, value);
    }
    rec.status = status;
    res.statusCode = status;
    res.write(head.subarray(end + sep));
  });
  child.on('close', () => {
    if (!headersDone) {
      rec.status = 502;
      res.statusCode = 502;
    }
    res.end();
  });
}

export function startGitHttpBackend(o: GitHttpOptions): Promise<GitHttpServer> {
  if (!existsSync(GIT_HTTP_BACKEND)) throw new Error(`${GIT_HTTP_BACKEND} is missing: install the Debian package git`);
  const requests: RequestRecord[] = [];
  const backendErrors: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const rec: RequestRecord = { method: req.method ?? '', path: req.url ?? '', authorization: checkAuth(req, o), status: 0 };
    requests.push(rec);
    live.onRequest?.();
    if (rec.authorization !== 'good') {
      rec.status = 401;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      req.resume();
      return;
    }
    rec.user = o.username;
    if (live.delayMs > 0) setTimeout(() => runCgi(req, res, o, rec, backendErrors), live.delayMs);
    else runCgi(req, res, o, rec, backendErrors);
  };
  const live: { delayMs: number; onRequest?: () => void } = { delayMs: 0 };
  const server = o.tls ? createTlsServer({ key: o.tls.key, cert: o.tls.cert }, handler) : createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        baseUrl: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
        port,
        requests,
        backendErrors,
        get delayMs() {
          return live.delayMs;
        },
        set delayMs(ms: number) {
          live.delayMs = ms;
        },
        get onRequest() {
          return live.onRequest;
        },
        set onRequest(f: (() => void) | undefined) {
          live.onRequest = f;
        },
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
