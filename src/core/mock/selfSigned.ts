/**
 * The throw-away certificate of a `"tls": true` mock: a fresh P-256 key and a self-signed X.509
 * certificate for localhost, 127.0.0.1, ::1 and the mock's host, made at start with node:crypto.
 * Node can sign but not lay out a certificate, so the few DER structures a certificate needs are
 * written here (about 2 KB of code instead of shipping an ASN.1 library). Node's X509Certificate
 * reads the result back, which both checks it and gives the SHA-256 fingerprint users compare.
 */
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
  /** "AB:CD:…", as browsers and openssl show it. */
  fingerprint256: string;
}

/** Long enough for a mock kept running for weeks in an editor; it is never reused. */
const VALID_DAYS = 30;
const HOUR = 3_600_000;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) base128.unshift(0x80 | (value & 0x7f));
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // Expand "::" and write the eight 16-bit groups.
  const [head, tail = ''] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

/** Makes a key and a certificate for `host` (and the loopback names); about 2 ms. */
export function makeSelfSignedCertificate(host: string): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const names = new Set(['localhost', '127.0.0.1', '::1', host.replace(/^\[|\]$/g, '')]);
  const altNames = [...names]
    .filter((name) => name !== '0.0.0.0' && name !== '::')
    .map((name) => (isIP(name) ? tlv(0x87, ipBytes(name)) : tlv(0x82, Buffer.from(name, 'ascii'))));
  const subject = sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from('WebSocket Debugger mock server', 'utf8')))));
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const now = Date.now();
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    ECDSA_WITH_SHA256,
    subject,
    sequence(utcTime(new Date(now - HOUR)), utcTime(new Date(now + VALID_DAYS * 24 * HOUR))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, sequence(sequence(oid('2.5.29.17'), tlv(0x04, sequence(...altNames))))),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, ECDSA_WITH_SHA256, tlv(0x03, Buffer.from([0]), signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  const fingerprint256 = new X509Certificate(certPem).fingerprint256;
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), fingerprint256 };
}
