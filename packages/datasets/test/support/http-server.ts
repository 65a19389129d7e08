import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Send only this many bytes of the first full response, then drop the connection. */
  cutFirstResponseAt?: number;
  /** Answer 200 with the whole body even when a range is asked for. */
  ignoreRange?: boolean;
  status?: number;
  /** Send the body in 16 KiB pieces this many ms apart (a slow server, so downloads overlap). */
  chunkDelayMs?: number;
}

/** A local HTTP server (127.0.0.1, ephemeral port) serving files with Range support; records requests. */
export class TestServer {
  readonly requests: { path: string; range: string | undefined }[] = [];
  readonly files = new Map<string, ServedFile>();
  private server: Server | undefined;
  private cutDone = new Set<string>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    this.requests.push({ path, range: req.headers.range });
    const file = this.files.get(path);
    if (file === undefined || file.status !== undefined) {
      res.writeHead(file?.status ?? 404).end('not here');
      return;
    }
    const total = file.body.length;
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (match && !file.ignoreRange) {
      const start = Number(match[1]);
      if (start >= total) {
        res.writeHead(416, { 'Content-Range': `bytes */${total}` }).end();
        return;
      }
      res.writeHead(206, { 'Content-Length': total - start, 'Content-Range': `bytes ${start}-${total - 1}/${total}` });
      res.end(file.body.subarray(start));
      return;
    }
    res.writeHead(200, { 'Content-Length': total });
    if (file.cutFirstResponseAt !== undefined && !this.cutDone.has(path)) {
      this.cutDone.add(path);
      res.write(file.body.subarray(0, file.cutFirstResponseAt), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (file.chunkDelayMs === undefined) {
      res.end(file.body);
      return;
    }
    const delay = file.chunkDelayMs;
    const send = (from: number): void => {
      if (from >= total) return void res.end();
      res.write(file.body.subarray(from, from + 16_384), () => setTimeout(() => send(from + 16_384), delay));
    };
    send(0);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
