import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpRequest {
  method: string;
  /** Path and query as asked: `/acme/widget.git/info/refs?service=git-upload-pack`. */
  url: string;
  host: string;
}

export interface GitHttpServer {
  port: number;
  /** Every request served so far, in order. */
  requests: GitHttpRequest[];
  close(): Promise<void>;
}

/**
 * A git smart-HTTP server on 127.0.0.1 — git's own `git http-backend` run as a CGI per request, serving the
 * repositories under `root` — that plays a forge. `intercept` may answer a request itself (a redirect)
 * instead; it sees each request after it was recorded.
 */
export async function startGitHttpServer(options: {
  root: string;
  intercept?: (request: GitHttpRequest, response: ServerResponse) => boolean;
  address?: string;
}): Promise<GitHttpServer> {
  const requests: GitHttpRequest[] = [];
  const server = createServer((request, response) => {
    const seen = {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      host: request.headers.host ?? '',
    };
    requests.push(seen);
    if (options.intercept?.(seen, response)) return;
    serveWithHttpBackend(options.root, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, options.address ?? '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveWithHttpBackend(root: string, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://server');
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: request.method ?? 'GET',
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      HTTP_CONTENT_ENCODING: String(request.headers['content-encoding'] ?? ''),
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  request.pipe(backend.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  backend.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const [name, ...value] = line.split(':');
      if (name!.toLowerCase() === 'status') status = Number.parseInt(value.join(':').trim(), 10);
      else response.setHeader(name!, value.join(':').trim());
    }
    response.writeHead(status);
    headersSent = true;
    response.write(head.subarray(end + 4));
  });
  backend.on('close', () => response.end());
  backend.on('error', () => response.destroy());
}
