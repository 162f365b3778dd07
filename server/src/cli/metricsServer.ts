// `daemon --metrics 127.0.0.1:PORT`: the Prometheus endpoint. It listens on the loopback address
// only (a scraper on this host, or a tunnel to it); anything else is a usage error, since the
// metrics name projects and mirror URLs. GET and HEAD of /metrics; 404 elsewhere, 405 for others.
import { createServer, type Server } from 'node:http';
import { UsageError } from './args';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `127.0.0.1:PORT` or `PORT` (port 0: any free port, logged at start). */
export function parseMetricsAddress(v: string): { host: '127.0.0.1'; port: number } {
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(v.trim());
  if (!m || Number(m[2]) > 65535) throw new UsageError(`--metrics takes 127.0.0.1:PORT, not ${JSON.stringify(v)}`);
  if (m[1] !== undefined && m[1] !== '127.0.0.1' && m[1] !== 'localhost')
    throw new UsageError(`--metrics listens on 127.0.0.1 only (the metrics name projects and mirror URLs), not ${JSON.stringify(m[1])}`);
  return { host: '127.0.0.1', port: Number(m[2]) };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export function serveMetrics(addr: { host: '127.0.0.1'; port: number }, render: () => string, onError: (e: Error) => void): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    let body: string;
    try {
      body = render();
    } catch (e) {
      onError(e as Error);
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('the metrics could not be computed; see the daemon log\n');
      return;
    }
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      server.on('error', onError);
      const a = server.address();
      resolve({
        port: typeof a === 'object' && a ? a.port : addr.port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
