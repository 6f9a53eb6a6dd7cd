/** What each close code tells the user, beyond its RFC 6455 name. */
import { closeCodeName } from './closeCodes';

const MEANINGS: Readonly<Record<number, string>> = {
  1000: 'the purpose of the connection was fulfilled',
  1001: 'the endpoint is going away (server shutting down, page closed)',
  1002: 'the endpoint saw a protocol error',
  1003: 'the endpoint received data of a type it cannot accept',
  1005: 'the Close frame carried no status code',
  1006: 'no Close frame: the connection was lost or dropped',
  1007: 'a message contained data inconsistent with its type (e.g. invalid UTF-8)',
  1008: 'a message violated the endpoint\'s policy',
  1009: 'a message was too big to process',
  1010: 'the server did not negotiate an extension the client requires',
  1011: 'the server hit an unexpected condition',
  1012: 'the server is restarting',
  1013: 'the server is overloaded; try again later',
  1014: 'a gateway or proxy got an invalid response upstream',
  1015: 'the TLS handshake failed',
};

/** "1006 Abnormal Closure: no Close frame: the connection was lost or dropped". */
export function closeCodeMeaning(code: number): string {
  const meaning = MEANINGS[code];
  return `${code} ${closeCodeName(code)}${meaning ? `: ${meaning}` : ''}`;
}
