/**
 * HAR 1.2 as Chrome DevTools writes a WebSocket: the handshake is the entry (a GET answered by
 * 101), `_resourceType` says "websocket", and the frames are in `_webSocketMessages`. These are
 * the shapes we write; what we read is checked by the zod schemas in harReader.ts, which accept
 * the variations Firefox and HTTP Toolkit write. Node-free and `vscode`-free types only.
 */

export interface HarNameValue {
  name: string;
  value: string;
}

/** One data frame: `time` in seconds since the epoch (fractional), binary `data` in base64. */
export interface HarWebSocketMessage {
  type: 'send' | 'receive';
  time: number;
  opcode: 1 | 2;
  data: string;
}

export interface HarTimings {
  blocked: number;
  dns: number;
  connect: number;
  ssl: number;
  send: number;
  wait: number;
  receive: number;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: 'GET';
    url: string;
    httpVersion: string;
    headers: HarNameValue[];
    queryString: HarNameValue[];
    cookies: HarNameValue[];
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: HarNameValue[];
    cookies: HarNameValue[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: HarTimings;
  serverIPAddress?: string;
  _resourceType: 'websocket';
  _webSocketMessages: HarWebSocketMessage[];
}

export interface HarLog {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: [];
    entries: HarEntry[];
  };
}
