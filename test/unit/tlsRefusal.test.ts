import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeCertificateRefusal, formatCertificateDate, isCertificateVerifyCode, type PresentedCertificate } from '../../src/core/tlsRefusal';

const CERT: PresentedCertificate = {
  validFrom: 'Jan  2 03:04:05 2031 GMT',
  validTo: 'Feb 10 11:12:13 2032 GMT',
  subjectAltNames: 'DNS:api.example, IP Address:10.0.0.1',
  commonName: 'api.example',
};

describe('describeCertificateRefusal', () => {
  it('dates an expired and a not-yet-valid certificate', () => {
    assert.match(describeCertificateRefusal('CERT_HAS_EXPIRED', 'h', 'certificate has expired', CERT), /expired on 2032-02-10 11:12:13 UTC \(CERT_HAS_EXPIRED\)/);
    assert.match(describeCertificateRefusal('CERT_NOT_YET_VALID', 'h', '', CERT), /is not valid until 2031-01-02 03:04:05 UTC .*clock/);
  });

  it('still says what is wrong when the certificate could not be read', () => {
    assert.match(describeCertificateRefusal('CERT_HAS_EXPIRED', 'h', '', undefined), /^The server's TLS certificate expired \(CERT_HAS_EXPIRED\)\. Renew/);
    assert.match(describeCertificateRefusal('ERR_TLS_CERT_ALTNAME_INVALID', 'h.example', '', undefined), /is not for h\.example/);
  });

  it('names the hosts a certificate is for: Node\'s error certificate first, then the presented one, then the common name', () => {
    const fromError = describeCertificateRefusal('ERR_TLS_CERT_ALTNAME_INVALID', '127.0.0.1', '', CERT, { subjectaltname: 'DNS:a.example, DNS:b.example' });
    assert.match(fromError, /is for a\.example, b\.example, not 127\.0\.0\.1/);
    assert.match(describeCertificateRefusal('HOSTNAME_MISMATCH', 'x', '', CERT), /is for api\.example, 10\.0\.0\.1, not x/);
    assert.match(describeCertificateRefusal('HOSTNAME_MISMATCH', 'x', '', undefined, { subject: { CN: ['only.example'] } }), /is for only\.example, not x/);
  });

  it('points every refusal at the panel, never at Node settings', () => {
    for (const code of ['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_REVOKED']) {
      const sentence = describeCertificateRefusal(code, 'h', 'certificate revoked', CERT);
      assert.match(sentence, /"Accept invalid certificates" under Connection options/, code);
      assert.match(sentence, new RegExp(`\\(${code}\\)`), code);
      assert.doesNotMatch(sentence, /NODE_|--|rejectUnauthorized/, code);
    }
    assert.match(describeCertificateRefusal('DEPTH_ZERO_SELF_SIGNED_CERT', 'h', '', CERT), /self-signed.*"CA certificate file"/);
  });

  it('tells verification results from other TLS failures', () => {
    assert.equal(isCertificateVerifyCode('CERT_HAS_EXPIRED'), true);
    assert.equal(isCertificateVerifyCode('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), false);
    assert.equal(isCertificateVerifyCode('ECONNRESET'), false);
  });

  it('leaves a date it cannot read as it is', () => {
    assert.equal(formatCertificateDate('sometime'), 'sometime');
  });
});
