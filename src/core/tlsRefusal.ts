/**
 * Sentences for a wss handshake that failed over a certificate: what is wrong with the
 * certificate (expired on which date, issued for which names) and what the user can do in the
 * panel. Node's own messages ("certificate has expired") say neither.
 */

/** The parts of the server's certificate that the sentences quote. */
export interface PresentedCertificate {
  validFrom: string;
  validTo: string;
  subjectAltNames: string;
  commonName: string;
}

/** The remedy that skips verification, in the words of the options form's checkbox. */
export const ACCEPT_INVALID_HINT = 'turn on "Accept invalid certificates" under Connection options (for test servers only)';
/** How to trust `what` (a PEM file) for this endpoint, or skip verification. */
const trust = (what: string) => `choose ${what} as "CA certificate file" under Connection options, or ${ACCEPT_INVALID_HINT}`;

/** OpenSSL's verification results (and Node's host check) that a certificate of the server caused. */
const VERIFY_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'CERT_REJECTED',
]);

/** Whether `code` is a verification failure of the server's certificate. */
export function isCertificateVerifyCode(code: string): boolean {
  return VERIFY_CODES.has(code);
}

/**
 * `certificate` is the one the server presented (when it could be read before Node closed the
 * socket); `errorCert` is the one Node attaches to a host-name mismatch.
 */
export function describeCertificateRefusal(
  code: string,
  host: string,
  nodeMessage: string,
  certificate: PresentedCertificate | undefined,
  errorCert?: { subjectaltname?: string; subject?: { CN?: string | string[] } },
): string {
  const prefix = "The server's TLS certificate";
  switch (code) {
    case 'CERT_HAS_EXPIRED': {
      const when = certificate ? ` on ${formatCertificateDate(certificate.validTo)}` : '';
      return `${prefix} expired${when} (${code}). Renew it on the server, or ${ACCEPT_INVALID_HINT}`;
    }
    case 'CERT_NOT_YET_VALID': {
      const when = certificate ? ` until ${formatCertificateDate(certificate.validFrom)}` : ' yet';
      return `${prefix} is not valid${when} (${code}); check this machine's clock and the server's, or ${ACCEPT_INVALID_HINT}`;
    }
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH': {
      const names =
        namesOf(errorCert?.subjectaltname, firstOf(errorCert?.subject?.CN))
        ?? (certificate ? namesOf(certificate.subjectAltNames, certificate.commonName) : undefined);
      const forWhom = names ? `is for ${names}, not ${host}` : `is not for ${host}`;
      return `${prefix} ${forWhom} (${code}). Connect with a name the certificate lists, or ${ACCEPT_INVALID_HINT}`;
    }
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `${prefix} is self-signed (${code}): nothing vouches for it. To trust it, ${trust("the certificate's own PEM file")}`;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
      return `${prefix} was issued by an authority this machine does not trust (${code}). To trust it, ${trust("the authority's PEM file")}`;
    default:
      return `${prefix} was rejected (${code}): ${nodeMessage}. To connect anyway, ${ACCEPT_INVALID_HINT}`;
  }
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** "DNS:a, IP Address:1.2.3.4" (Node's form) as "a, 1.2.3.4"; the common name when there is none. */
function namesOf(altNames: string | undefined, commonName: string | undefined): string | undefined {
  const names = (altNames ?? '')
    .split(',')
    .map((part) => part.trim().replace(/^(DNS|IP Address):/, ''))
    .filter((name) => name.length > 0);
  if (names.length > 0) return names.join(', ');
  return commonName || undefined;
}

/** Node's "Dec  1 05:37:46 2026 GMT" as "2026-12-01 05:37:46 UTC"; left as it is if unreadable. */
export function formatCertificateDate(text: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) return text;
  return new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
