/**
 * Watches one client socket from its creation to its end and keeps what the Connection details
 * region shows: handshake timing from the socket's own events (lookup, connect, secureConnect,
 * the HTTP response), the request and response headers as they went over the wire, the TLS
 * session and certificate chain, ping round trips and the close.
 *
 * It hooks in through ws's `finishRequest` option, so it sees the very request and socket ws uses.
 * Deliberately free of `vscode` imports: tested in plain Node against real servers.
 */
import { createHash } from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { closeCodeMeaning } from '../shared/closeMeaning';
import { l10n } from '../shared/l10n';
import type { CertificateSummary, CloseDetails, HandshakeDetails, InspectorInfo, TlsSummary } from '../shared/protocol';
import { handshakeTiming, roundMs, type HandshakeMarks } from '../shared/timing';
import type { PresentedCertificate } from './tlsRefusal';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** The inspector keeps this many ping round trips. */
const MAX_PING_RTTS = 20;
/** A server sending a longer chain than this is summarised by its first certificates. */
const MAX_CHAIN_LENGTH = 10;

/** Node's certificate verification codes in words. */
const VERIFY_WORDS: Readonly<Record<string, () => string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: () => l10n.t('the certificate is self-signed'),
  SELF_SIGNED_CERT_IN_CHAIN: () => l10n.t('the chain ends in a self-signed certificate that is not trusted'),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: () => l10n.t('the issuer of the certificate is unknown'),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: () => l10n.t('the issuer of the certificate is not among the trusted authorities'),
  CERT_HAS_EXPIRED: () => l10n.t('the certificate has expired'),
  CERT_NOT_YET_VALID: () => l10n.t('the certificate is not valid yet'),
  ERR_TLS_CERT_ALTNAME_INVALID: () => l10n.t('the certificate is for another host name'),
};

export class HandshakeInspector {
  private marks: HandshakeMarks | undefined;
  private request: ClientRequest | undefined;
  private route: string | undefined;
  private remoteAddress: string | undefined;
  private handshake: HandshakeDetails | undefined;
  private tls: TlsSummary | undefined;
  private presented: PresentedCertificate | undefined;
  private closeDetails: CloseDetails | undefined;
  private openedAt: number | undefined;
  private readonly pendingPings = new Map<string, number[]>();
  private readonly pingRtts: number[] = [];
  private missedPongs = 0;

  /**
   * `mask` hides secret values in everything the inspector reports; `proxyBypassed` says the
   * endpoint connects with a direct agent (Bypass proxy); `knownRoute` is the route when no proxy
   * agent will report one (a session worker).
   */
  constructor(
    private readonly mask: (text: string) => string = (text) => text,
    private readonly proxyBypassed = false,
    knownRoute?: string,
  ) {
    this.route = knownRoute;
  }

  /**
   * Given ws's ClientRequest (through ws's `finishRequest` option) just before it is sent: the
   * socket's own events then mark the phases, whichever agent makes the socket (VS Code puts
   * its proxy agent in front of every request).
   */
  watch(req: ClientRequest): void {
    const marks: HandshakeMarks = { start: performance.now() };
    this.marks = marks;
    this.request = req;
    // VS Code's proxy agent (http.proxy, http.proxyStrictSSL, the proxy environment variables)
    // says which route it took: "DIRECT" or "PROXY host:port".
    req.once('proxy', (event: { proxy?: unknown }) => {
      if (typeof event?.proxy === 'string') this.route = event.proxy;
    });
    req.once('socket', (socket: Socket) => {
      // A socket that is already connected (a proxy tunnel, a reused socket) has no phases to see.
      if (!socket.connecting) {
        marks.connect = performance.now();
        this.remoteAddress = addressOf(socket);
      }
      socket.once('lookup', () => (marks.lookup = performance.now()));
      socket.once('connect', () => {
        marks.connect = performance.now();
        this.remoteAddress = addressOf(socket);
      });
      if ('encrypted' in socket) {
        const tlsSocket = socket as TLSSocket;
        // Node's 'secure' (the handshake finished) runs its verification, which destroys a
        // rejected socket and its certificate with it; listening first keeps the dates and
        // names the refusal quotes.
        tlsSocket.prependOnceListener('secure', () => (this.presented = presentedCertificate(tlsSocket)));
        tlsSocket.once('secureConnect', () => {
          marks.secureConnect = performance.now();
          this.tls = summariseTls(tlsSocket);
        });
      }
    });
  }

  /** The certificate the server presented, also when verification refused it. */
  get presentedCertificate(): PresentedCertificate | undefined {
    return this.presented;
  }

  /** The server answered the Upgrade request (101 or a refusal). */
  response(res: IncomingMessage): void {
    if (this.marks) this.marks.response = performance.now();
    const req = this.request;
    const requestHeaders: [string, string][] = [];
    let key: string | undefined;
    for (const name of req?.getRawHeaderNames() ?? []) {
      const value = req?.getHeader(name);
      const values = Array.isArray(value) ? value : [String(value)];
      for (const v of values) requestHeaders.push([name, this.mask(v)]);
      if (name.toLowerCase() === 'sec-websocket-key') key = values[0];
    }
    const requestLine = req ? `${req.method} ${req.path} HTTP/1.1` : '';
    const responseHeaders: [string, string][] = [];
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
      responseHeaders.push([res.rawHeaders[i]!, this.mask(res.rawHeaders[i + 1]!)]);
    }
    const details: HandshakeDetails = {
      requestLine: this.mask(requestLine),
      requestHeaders,
      statusCode: res.statusCode,
      statusMessage: res.statusMessage ?? '',
      responseHeaders,
    };
    const accept = res.headers['sec-websocket-accept'];
    if (res.statusCode === 101 && key !== undefined) {
      details.acceptValid = accept === createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
    }
    this.handshake = details;
  }

  opened(): void {
    this.openedAt = Date.now();
  }

  pingSent(payload: Uint8Array): void {
    const key = Buffer.from(payload).toString('hex');
    const times = this.pendingPings.get(key) ?? [];
    times.push(performance.now());
    this.pendingPings.set(key, times);
  }

  /** A pong answering one of our pings records its round trip; an unsolicited pong is ignored. */
  pongReceived(payload: Uint8Array): number | undefined {
    const key = Buffer.from(payload).toString('hex');
    const times = this.pendingPings.get(key);
    const sent = times?.shift();
    if (times?.length === 0) this.pendingPings.delete(key);
    if (sent === undefined) return undefined;
    const rtt = roundMs(performance.now() - sent);
    this.pingRtts.push(rtt);
    if (this.pingRtts.length > MAX_PING_RTTS) this.pingRtts.shift();
    return rtt;
  }

  /** Whether a ping with this payload is still waiting for its pong. */
  awaitingPong(payload: Uint8Array): boolean {
    return this.pendingPings.has(Buffer.from(payload).toString('hex'));
  }

  /** Forgets a ping whose pong is overdue, and counts it. */
  pongMissed(payload: Uint8Array): void {
    this.pendingPings.delete(Buffer.from(payload).toString('hex'));
    this.missedPongs += 1;
  }

  closed(by: CloseDetails['by'], code: number, reason: string, wasClean: boolean): void {
    const details: CloseDetails = { by, code, meaning: closeCodeMeaning(code), reason: this.mask(reason), wasClean };
    if (this.openedAt !== undefined) details.durationMs = Date.now() - this.openedAt;
    this.closeDetails = details;
  }

  get info(): InspectorInfo {
    const info: InspectorInfo = {
      timing: this.marks ? handshakeTiming(this.marks) : {},
      pingRtts: [...this.pingRtts],
      missedPongs: this.missedPongs,
    };
    if (this.remoteAddress) info.remoteAddress = this.remoteAddress;
    if (this.route) info.route = this.mask(this.route);
    if (this.proxyBypassed) info.proxyBypassed = true;
    if (this.handshake) info.handshake = structuredClone(this.handshake);
    if (this.tls) info.tls = structuredClone(this.tls);
    if (this.closeDetails) info.close = { ...this.closeDetails };
    return info;
  }
}

function addressOf(socket: Socket): string | undefined {
  const { remoteAddress, remotePort } = socket;
  if (!remoteAddress) return undefined;
  const host = remoteAddress.includes(':') ? `[${remoteAddress}]` : remoteAddress;
  return remotePort ? `${host}:${remotePort}` : host;
}

function summariseTls(socket: TLSSocket): TlsSummary {
  const authorized = socket.authorized;
  const errorCode = socket.authorizationError ? String(socket.authorizationError) : '';
  const verification = authorized
    ? l10n.t('Verified: the chain leads to a trusted certificate authority and the certificate matches the host name')
    : l10n.t(
        'Not verified ({0}): {1}; connected anyway because "Accept invalid certificates" is on for this endpoint',
        errorCode,
        VERIFY_WORDS[errorCode]?.() ?? l10n.t('the certificate could not be verified'),
      );
  return {
    protocol: socket.getProtocol() ?? '',
    cipher: socket.getCipher()?.name ?? '',
    authorized,
    verification,
    chain: certificateChain(socket.getPeerCertificate(true)),
  };
}

function presentedCertificate(socket: TLSSocket): PresentedCertificate | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.raw) return undefined;
  const commonName = cert.subject?.CN;
  return {
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    subjectAltNames: cert.subjectaltname ?? '',
    commonName: (Array.isArray(commonName) ? commonName[0] : commonName) ?? '',
  };
}

function certificateChain(leaf: DetailedPeerCertificate | undefined): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  let cert = leaf;
  const seen = new Set<string>();
  while (cert && cert.raw && !seen.has(cert.fingerprint256) && chain.length < MAX_CHAIN_LENGTH) {
    seen.add(cert.fingerprint256);
    chain.push({
      subject: distinguishedName(cert.subject),
      issuer: distinguishedName(cert.issuer),
      validFrom: cert.valid_from,
      validTo: cert.valid_to,
      subjectAltNames: cert.subjectaltname ?? '',
      fingerprint256: cert.fingerprint256,
    });
    // A self-signed root is its own issuer; Node links it to itself.
    cert = cert.issuerCertificate;
  }
  return chain;
}

function distinguishedName(name: object | undefined): string {
  if (!name) return '';
  return Object.entries(name as Record<string, string | string[]>)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}
