// A real node:http server on loopback for tests: records every request and lets each test script
// the answer, including the faults a network produces (resets, hangs, truncated bodies).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query, as the server saw them. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Exchange {
  request: RecordedRequest;
  /** 1 for the first request this server received. */
  index: number;
  req: IncomingMessage;
  res: ServerResponse;
}

export type Handler = (exchange: Exchange) => void | Promise<void>;

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  /** Replace the handler for the requests that follow. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startTestServer(handler: Handler = (x) => json(x.res, 200, {})): Promise<TestServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    requests.push(request);
    try {
      await current({ request, index: requests.length, req, res });
    } catch (error) {
      if (!res.headersSent) json(res, 599, { testServerError: String(error) });
    }
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    requests,
    handle(next) {
      current = next;
    },
    close: listening.close,
  };
}

/** Listen on a free loopback port; close() drops every open connection first, so it never waits on a client. */
export async function listenOnLoopback(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Drop the connection without an answer: the client cannot know whether the request was processed. */
export function reset(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Never answer. The server's close() ends the socket. */
export function hang(): Promise<void> {
  return new Promise(() => {});
}

/** Send headers and part of the body, then hang or drop the connection. */
export function truncated(res: ServerResponse, body: string, then: "hang" | "reset"): Promise<void> | void {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) * 2 });
  res.write(body);
  if (then === "reset") setTimeout(() => res.socket?.destroy(), 10);
  else return hang();
}

/** A loopback port with nothing listening: connecting is refused, so nothing is sent. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
