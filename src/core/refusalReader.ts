/**
 * Reads the start of a response that refused a WebSocket handshake (any answer but 101), so the
 * user sees the server's status, headers and words. Listening to ws's 'unexpected-response'
 * leaves the request to us, so reading must always end: after 4 KB, at the end of the body, on
 * error, or after a short wait.
 */
import type { IncomingMessage } from 'node:http';
import type { HandshakeRefusal } from '../shared/protocol';
import { headerPairs } from './headers';

/** A refused handshake keeps at most this much of the response body. */
const REFUSAL_BODY_LIMIT = 4096;
/** A refusal body that never ends must not keep the connection CONNECTING. */
const REFUSAL_BODY_WAIT_MS = 2000;

/** The refusal body being read; `finish` reports it, `abandon` drops it silently. */
export interface RefusalReader {
  finish(truncated: boolean): void;
  abandon(): void;
}

export interface RefusalHandlers {
  /** Called once with what arrived; `location` is a redirect's target. */
  refused(refusal: HandshakeRefusal, location: string | undefined): void;
  /** `refused` threw while handling a response event. */
  internalError(error: unknown): void;
}

export function readRefusal(res: IncomingMessage, handlers: RefusalHandlers): RefusalReader {
  const chunks: Buffer[] = [];
  let received = 0;
  let done = false;
  const release = (): void => {
    done = true;
    clearTimeout(timer);
    res.off('data', onData);
    // Keep an error listener: destroying the response may still emit 'error' later.
    res.on('error', ignore);
    res.destroy();
  };
  const reader: RefusalReader = {
    finish: (truncated) => {
      if (done) return;
      release();
      const body = Buffer.concat(chunks, received);
      const statusCode = res.statusCode ?? 0;
      handlers.refused(
        {
          statusCode,
          statusMessage: res.statusMessage ?? '',
          headers: headerPairs(res.rawHeaders),
          body: body.subarray(0, REFUSAL_BODY_LIMIT).toString('utf8'),
          bodyTruncated: truncated || received > REFUSAL_BODY_LIMIT,
        },
        statusCode >= 300 && statusCode < 400 ? res.headers.location : undefined,
      );
    },
    abandon: () => {
      if (!done) release();
    },
  };
  const finishGuarded = (truncated: boolean) => (): void => {
    try {
      reader.finish(truncated);
    } catch (error) {
      handlers.internalError(error);
    }
  };
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    received += chunk.length;
    if (received > REFUSAL_BODY_LIMIT) finishGuarded(true)();
  };
  const timer = setTimeout(finishGuarded(true), REFUSAL_BODY_WAIT_MS);
  res.on('data', onData);
  res.on('end', finishGuarded(false));
  // 'close' without 'end' (reset, abort): keep what arrived, marked as cut short.
  res.on('close', finishGuarded(true));
  res.on('error', finishGuarded(true));
  return reader;
}

function ignore(): void {
  // Intentionally empty: see release().
}
