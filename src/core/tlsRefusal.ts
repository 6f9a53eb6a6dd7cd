/**
 * Sentences for a wss handshake that failed over a certificate: what is wrong with the
 * certificate (expired on which date, issued for which names) and what the user can do in the
 * panel. Node's own messages ("certificate has expired") say neither.
 */
import { l10n } from '../shared/l10n';

/** The parts of the server's certificate that the sentences quote. */
export interface PresentedCertificate {
  validFrom: string;
  validTo: string;
  subjectAltNames: string;
  commonName: string;
}

/** The remedy that skips verification, in the words of the options form's checkbox. */
export function acceptInvalidHint(): string {
  return l10n.t('turn on "Accept invalid certificates" under Connection options (for test servers only)');
}

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
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return certificate
        ? l10n.t("The server's TLS certificate expired on {0} ({1}). Renew it on the server, or {2}", formatCertificateDate(certificate.validTo), code, acceptInvalidHint())
        : l10n.t("The server's TLS certificate expired ({0}). Renew it on the server, or {1}", code, acceptInvalidHint());
    case 'CERT_NOT_YET_VALID':
      return certificate
        ? l10n.t("The server's TLS certificate is not valid until {0} ({1}); check this machine's clock and the server's, or {2}", formatCertificateDate(certificate.validFrom), code, acceptInvalidHint())
        : l10n.t("The server's TLS certificate is not valid yet ({0}); check this machine's clock and the server's, or {1}", code, acceptInvalidHint());
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH': {
      const names =
        namesOf(errorCert?.subjectaltname, firstOf(errorCert?.subject?.CN))
        ?? (certificate ? namesOf(certificate.subjectAltNames, certificate.commonName) : undefined);
      return names
        ? l10n.t("The server's TLS certificate is for {0}, not {1} ({2}). Connect with a name the certificate lists, or {3}", names, host, code, acceptInvalidHint())
        : l10n.t("The server's TLS certificate is not for {0} ({1}). Connect with a name the certificate lists, or {2}", host, code, acceptInvalidHint());
    }
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return l10n.t(
        "The server's TLS certificate is self-signed ({0}): nothing vouches for it. To trust it, choose the certificate's own PEM file as \"CA certificate file\" under Connection options, or {1}",
        code, acceptInvalidHint(),
      );
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
      return l10n.t(
        "The server's TLS certificate was issued by an authority this machine does not trust ({0}). To trust it, choose the authority's PEM file as \"CA certificate file\" under Connection options, or {1}",
        code, acceptInvalidHint(),
      );
    default:
      return l10n.t("The server's TLS certificate was rejected ({0}): {1}. To connect anyway, {2}", code, nodeMessage, acceptInvalidHint());
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
