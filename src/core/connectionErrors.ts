/**
 * The sentences a WebSocket session reports for errors and closes: one place that turns ws's and
 * Node's error codes into words a user can act on. Hints name this extension's controls
 * ("Accept invalid certificates" under Connection options), never Node's command-line flags,
 * which a user of the extension cannot pass.
 */
import { closeCodeName, MAX_CONTROL_PAYLOAD_BYTES } from '../shared/closeCodes';
import { l10n } from '../shared/l10n';
import { acceptInvalidHint, describeCertificateRefusal, isCertificateVerifyCode, type PresentedCertificate } from './tlsRefusal';

/** What ws reports when a handshake is aborted by terminate(); expected when we cancel. */
export const ABORTED_HANDSHAKE_MESSAGE = 'WebSocket was closed before the connection was established';
const HANDSHAKE_TIMEOUT_MESSAGE = 'Opening handshake has timed out';

interface ProtocolError {
  /** The close code ws fails the connection with. */
  closeCode: number;
  words: (maxPayload: number, wsMessage: string) => string;
}

/** ws's frame-level error codes: the words for the log and the close code ws fails with. */
const PROTOCOL_ERRORS: Readonly<Record<string, ProtocolError>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: {
    closeCode: 1009,
    words: (limit) => l10n.t('The server sent a message bigger than the limit of {0} bytes', limit),
  },
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: {
    closeCode: 1009,
    words: () => l10n.t('The server announced a frame longer than 2^53 - 1 bytes'),
  },
  WS_ERR_INVALID_UTF8: {
    closeCode: 1007,
    words: () => l10n.t('The server sent text (a text message or a close reason) that is not valid UTF-8'),
  },
  WS_ERR_INVALID_CLOSE_CODE: {
    closeCode: 1002,
    words: (_limit, wsMessage) =>
      l10n.t('The server sent a Close frame with a close code that must not be sent ({0})', frameDetail(wsMessage)),
  },
  WS_ERR_UNEXPECTED_MASK: {
    closeCode: 1002,
    words: () => l10n.t('The server sent a masked frame; servers must not mask their frames'),
  },
  WS_ERR_EXPECTED_MASK: {
    closeCode: 1002,
    words: () => l10n.t('The peer sent an unmasked frame where masking is required'),
  },
  WS_ERR_INVALID_OPCODE: {
    closeCode: 1002,
    words: (_limit, wsMessage) => l10n.t('The server sent a frame with an unknown or unexpected opcode ({0})', frameDetail(wsMessage)),
  },
  WS_ERR_EXPECTED_FIN: {
    closeCode: 1002,
    words: () => l10n.t('The server sent a fragmented control frame'),
  },
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: {
    closeCode: 1002,
    words: (_limit, wsMessage) =>
      / 1$/.test(wsMessage)
        ? l10n.t('The server sent a Close frame with a 1-byte payload; a close code takes 2 bytes')
        : l10n.t('The server sent a control frame with more than {0} bytes of payload ({1})', MAX_CONTROL_PAYLOAD_BYTES, frameDetail(wsMessage)),
  },
  WS_ERR_UNEXPECTED_RSV_1: {
    closeCode: 1002,
    words: () => l10n.t('The server set the compression bit (RSV1) where it is not allowed or was not negotiated'),
  },
  WS_ERR_UNEXPECTED_RSV_2_3: {
    closeCode: 1002,
    words: () => l10n.t('The server set the reserved bits RSV2/RSV3, which no negotiated extension uses'),
  },
  WS_ERR_TOO_MANY_BUFFERED_PARTS: {
    closeCode: 1008,
    words: () => l10n.t('The server sent a message in too many fragments or chunks'),
  },
};

/** The fields of Node's and ws's errors that the sentences use. */
export interface NodeError extends Error {
  code?: string;
  /** Node's host-name check attaches the name and the certificate it compared. */
  host?: string;
  cert?: { subjectaltname?: string; subject?: { CN?: string | string[] } };
  address?: string;
  port?: number;
  hostname?: string;
  errors?: unknown[];
}

/** What the sentence for an error depends on besides the error. */
export interface ErrorContext {
  url: string;
  handshakeTimeoutMs: number;
  maxPayload: number;
  /** Whether the connection had opened (a reset then is not "during the handshake"). */
  wasOpen: boolean;
  /** The certificate the server presented, when the handshake got that far (its dates and names). */
  presentedCertificate?: PresentedCertificate;
}

/** The close code ws fails the connection with for this error, when it is a protocol error by the server. */
export function protocolErrorCloseCode(error: Error): number | undefined {
  const code = (error as NodeError).code;
  return code !== undefined ? PROTOCOL_ERRORS[code]?.closeCode : undefined;
}

/** Turns an error into one sentence, with the Node or ws error code when there is one. */
export function describeError(error: Error, context: ErrorContext): string {
  const err = error as NodeError;
  const code = err.code;
  const host = hostOf(context.url);
  if (err.message === HANDSHAKE_TIMEOUT_MESSAGE) {
    return l10n.t('The server did not complete the WebSocket handshake within {0}', formatSeconds(context.handshakeTimeoutMs));
  }
  if (code !== undefined) {
    const protocolError = PROTOCOL_ERRORS[code];
    if (protocolError) {
      const closeCode = protocolError.closeCode;
      return l10n.t('{0} ({1}); closing the connection with {2}', protocolError.words(context.maxPayload, err.message), code, `${closeCode} ${closeCodeName(closeCode)}`);
    }
    const endpoint = socketAddressOf(err) ?? host;
    switch (code) {
      case 'ECONNREFUSED':
        return l10n.t('Connection refused by {0} (ECONNREFUSED): no server is listening there', endpoint);
      case 'ENOTFOUND':
        return l10n.t('DNS lookup failed for {0} (ENOTFOUND): no such host', err.hostname ?? host);
      case 'EAI_AGAIN':
        return l10n.t('DNS lookup failed for {0} (EAI_AGAIN): the name server did not answer; check the network and try again', err.hostname ?? host);
      case 'ETIMEDOUT':
        return l10n.t('Connecting to {0} timed out (ETIMEDOUT)', endpoint);
      case 'ECONNRESET':
        return context.wasOpen ? l10n.t('The server reset the connection (ECONNRESET)') : l10n.t('The server reset the connection (ECONNRESET) during the handshake');
      case 'EPIPE':
        return l10n.t('The server closed the connection while data was being written (EPIPE)');
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return l10n.t('Cannot reach {0} from this machine ({1}): no network route leads there', endpoint, code);
      case 'ERR_SSL_WRONG_VERSION_NUMBER':
      case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
        return l10n.t('The TLS handshake with {0} failed ({1}); is the server speaking plain ws:// rather than wss://?', host, code);
    }
    if (isCertificateVerifyCode(code) || code.startsWith('ERR_TLS_CERT')) {
      return describeCertificateRefusal(code, err.host ?? host, withoutNodeHints(err.message), context.presentedCertificate, err.cert);
    }
    // The server's alert about this side's certificate (none sent, or not one it trusts).
    if (code.startsWith('ERR_SSL') && code.includes('ALERT') && code.includes('CERTIFICATE')) {
      return l10n.t('The server refused the TLS handshake over the client certificate ({0}): choose the certificate and key, or a PFX file, that it accepts under Connection options', code);
    }
    if (code.startsWith('ERR_SSL')) return l10n.t('The TLS handshake with {0} failed ({1}): {2}', host, code, withOurRemedy(err.message));
    return withOurRemedy(err.message, ` (${code})`);
  }
  // ws's own handshake checks (bad Sec-WebSocket-Accept, unrequested subprotocol, ...) carry no code.
  if (!context.wasOpen) return l10n.t('The WebSocket handshake failed: {0}', withOurRemedy(err.message));
  return withOurRemedy(err.message);
}

/** Node's advice about its certificate store: trusting a CA is done with our CA file option. */
const CA_HINT = /--use-system-ca|--use-openssl-ca|--use-bundled-ca|NODE_EXTRA_CA_CERTS/;
/** Node's advice to turn verification off, which our checkbox does for one endpoint. */
const REJECT_HINT = /NODE_TLS_REJECT_UNAUTHORIZED/;

/**
 * Quotes Node's `message` (then `suffix`, e.g. its code) without its advice to the person running
 * `node`, and puts our remedy where that advice was, naming the controls of Connection options.
 */
export function withOurRemedy(message: string, suffix = ''): string {
  const stripped = withoutNodeHints(message);
  if (stripped === message) return message + suffix;
  const remedy = CA_HINT.test(message)
    ? `: ${l10n.t('to trust the server\'s authority, choose its PEM file as "CA certificate file" under Connection options, or {0}', acceptInvalidHint())}`
    : REJECT_HINT.test(message) ? `: ${l10n.t('to connect anyway, {0}', acceptInvalidHint())}` : '';
  return `${stripped}${suffix}${remedy}`;
}

/**
 * Node's message without its advice to the person running `node` (e.g. "use --use-system-ca" or
 * NODE_EXTRA_CA_CERTS), which does not apply inside VS Code: a parenthesis or a sentence naming
 * a command-line flag or an environment variable goes.
 */
function withoutNodeHints(message: string): string {
  const names = /(^|[\s(])--[a-z][a-z-]*|\bNODE_[A-Z_]+\b/;
  if (!names.test(message)) return message;
  const withoutParentheses = message.replace(/\s*\([^)]*\)/g, (part) => (names.test(part) ? '' : part));
  const sentences = withoutParentheses.split(/(?<=[.;])\s+/).filter((sentence) => !names.test(sentence));
  return sentences.join(' ').trim().replace(/[\s.;:,]+$/, '');
}

/** What the sentence for a close depends on besides the close code and reason. */
export interface CloseContext {
  wasOpen: boolean;
  /** The user cancelled the attempt (Disconnect while connecting). */
  cancelled: boolean;
  /** The close code ws sent when it failed the connection for the server's protocol error. */
  failureCloseCode: number | undefined;
  /** Our Close frame, when we sent one. */
  sentClose: { code: number; reason: string; at: number } | undefined;
  closeTimeoutMs: number;
  now: number;
}

/** Who closed, with which code and reason, and whether the closing handshake completed. */
export function describeClose(code: number, reason: string, wasClean: boolean, context: CloseContext): string {
  const abnormal = `1006 ${closeCodeName(1006)}`;
  if (!context.wasOpen) {
    if (context.cancelled) return l10n.t('Connection attempt cancelled by the client ({0}, not clean)', abnormal);
    return l10n.t('The connection was not established ({0}, not clean)', abnormal);
  }
  const sent = context.sentClose;
  if (!wasClean) {
    if (context.failureCloseCode !== undefined) {
      const failed = `${context.failureCloseCode} ${closeCodeName(context.failureCloseCode)}`;
      return l10n.t("Closed by client with {0} after a protocol error, without waiting for the server's Close frame ({1}, not clean)", failed, abnormal);
    }
    // ws's timer and the wall clock may disagree by a millisecond or so.
    if (sent && context.now - sent.at >= context.closeTimeoutMs - 10) {
      return l10n.t('Closed by client; the server did not answer our Close frame within {0}, so the connection was terminated ({1}, not clean)', formatSeconds(context.closeTimeoutMs), abnormal);
    }
    if (sent) return l10n.t('Closed by client; no Close frame came back from the server ({0}, not clean)', abnormal);
    return l10n.t('Connection lost without a Close frame ({0}, not clean)', abnormal);
  }
  const received = describeCode(code, reason);
  if (!sent) return l10n.t('Closed by server: {0} (clean)', received);
  if (sent.code === code && sent.reason === reason) return l10n.t('Closed by client: {0} (clean)', received);
  return l10n.t('Closed by client with {0}; the server answered {1} (clean)', describeCode(sent.code, sent.reason), received);
}

/** The sentence for a refused handshake (any answer but 101). */
export function describeRefusal(statusCode: number, statusMessage: string, location: string | undefined): string {
  const refused = l10n.t('The server refused the WebSocket handshake: {0}', `HTTP ${statusCode} ${statusMessage}`.trimEnd());
  return location ? `${refused}${l10n.t('; it redirects to {0} (redirects are not followed)', location)}` : refused;
}

/** A keep-alive ping was still unanswered when the next one was due. */
export function describeMissingPong(sentAgoMs: number): string {
  return l10n.t('No pong came back for the keep-alive ping sent {0} ago', formatSeconds(sentAgoMs));
}

/** A close code with its name and, when there is one, the reason. */
export function describeCode(code: number, reason: string): string {
  return reason ? l10n.t('{0}, reason {1}', `${code} ${closeCodeName(code)}`, JSON.stringify(reason)) : `${code} ${closeCodeName(code)}`;
}

/** Milliseconds as seconds, e.g. "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The specific cause in a ws frame error, without its generic prefix. */
function frameDetail(wsMessage: string): string {
  return wsMessage.replace(/^Invalid WebSocket frame: /, '');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The address:port Node tried; with several addresses (happy eyeballs) it is in `errors`. */
function socketAddressOf(err: NodeError): string | undefined {
  const candidates = [err, ...(Array.isArray(err.errors) ? err.errors : [])];
  for (const candidate of candidates) {
    const { address, port } = candidate as NodeError;
    if (typeof address === 'string') {
      const host = address.includes(':') ? `[${address}]` : address;
      return typeof port === 'number' ? `${host}:${port}` : host;
    }
  }
  return undefined;
}
