import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeClose,
  describeCode,
  describeError,
  withOurRemedy,
  describeMissingPong,
  describeRefusal,
  formatSeconds,
  protocolErrorCloseCode,
  type CloseContext,
  type ErrorContext,
} from '../../src/core/connectionErrors';

const CONTEXT: ErrorContext = { url: 'wss://api.example.test:8443/feed', handshakeTimeoutMs: 2500, maxPayload: 1024, wasOpen: false };

function nodeError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('describeRefusal', () => {
  it('gives the status, and a redirect target with the note that it is not followed', () => {
    assert.equal(describeRefusal(401, 'Unauthorized', undefined), 'The server refused the WebSocket handshake: HTTP 401 Unauthorized');
    assert.equal(describeRefusal(403, '', undefined), 'The server refused the WebSocket handshake: HTTP 403');
    assert.equal(
      describeRefusal(302, 'Found', 'https://login.example.test/'),
      'The server refused the WebSocket handshake: HTTP 302 Found; it redirects to https://login.example.test/ (redirects are not followed)',
    );
  });
});

describe('describeError: network', () => {
  it('ECONNREFUSED names the address Node tried, also when it is inside happy-eyeballs errors', () => {
    const direct = nodeError('connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 });
    assert.equal(describeError(direct, CONTEXT), 'Connection refused by 127.0.0.1:9 (ECONNREFUSED): no server is listening there');
    const both = nodeError('', {
      code: 'ECONNREFUSED',
      errors: [{ address: '::1', port: 8443 }, { address: '127.0.0.1', port: 8443 }],
    });
    assert.equal(describeError(both, CONTEXT), 'Connection refused by [::1]:8443 (ECONNREFUSED): no server is listening there');
    const bare = nodeError('', { code: 'ECONNREFUSED' });
    assert.match(describeError(bare, CONTEXT), /^Connection refused by api\.example\.test:8443 /);
  });

  it('DNS failures name the host and say what to do', () => {
    assert.equal(
      describeError(nodeError('getaddrinfo ENOTFOUND nope.test', { code: 'ENOTFOUND', hostname: 'nope.test' }), CONTEXT),
      'DNS lookup failed for nope.test (ENOTFOUND): no such host',
    );
    assert.equal(
      describeError(nodeError('', { code: 'EAI_AGAIN' }), CONTEXT),
      'DNS lookup failed for api.example.test:8443 (EAI_AGAIN): the name server did not answer; check the network and try again',
    );
  });

  it('resets say whether the handshake was still running; unreachable networks say so', () => {
    assert.equal(describeError(nodeError('', { code: 'ECONNRESET' }), CONTEXT), 'The server reset the connection (ECONNRESET) during the handshake');
    assert.equal(describeError(nodeError('', { code: 'ECONNRESET' }), { ...CONTEXT, wasOpen: true }), 'The server reset the connection (ECONNRESET)');
    assert.equal(
      describeError(nodeError('', { code: 'ENETUNREACH', address: '10.0.0.1', port: 80 }), CONTEXT),
      'Cannot reach 10.0.0.1:80 from this machine (ENETUNREACH): no network route leads there',
    );
    assert.equal(describeError(nodeError('write EPIPE', { code: 'EPIPE' }), CONTEXT), 'The server closed the connection while data was being written (EPIPE)');
  });

  it('an unknown code keeps Node\'s message with the code', () => {
    assert.equal(describeError(nodeError('something odd', { code: 'EWHATEVER' }), CONTEXT), 'something odd (EWHATEVER)');
  });
});

describe('describeError: timeouts', () => {
  it('the handshake timeout and the TCP timeout', () => {
    assert.equal(
      describeError(new Error('Opening handshake has timed out'), CONTEXT),
      'The server did not complete the WebSocket handshake within 2.5 s',
    );
    assert.equal(
      describeError(nodeError('', { code: 'ETIMEDOUT', address: '192.0.2.1', port: 443 }), CONTEXT),
      'Connecting to 192.0.2.1:443 timed out (ETIMEDOUT)',
    );
  });
});

describe('describeError: TLS', () => {
  it('a rejected certificate names our option, not a Node flag', () => {
    const sentence = describeError(nodeError('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), CONTEXT);
    assert.equal(
      sentence,
      'The server\'s TLS certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT): nothing vouches for it. To trust it, choose the certificate\'s own PEM file as "CA certificate file" under Connection options, or turn on "Accept invalid certificates" under Connection options (for test servers only)',
    );
  });

  it("strips Node's advice about command-line flags and environment variables", () => {
    for (const message of [
      'certificate rejected. Run node with --use-system-ca to use the system store.',
      'certificate rejected (use --use-system-ca or set NODE_EXTRA_CA_CERTS)',
      'certificate rejected; set NODE_EXTRA_CA_CERTS to a file of extra CAs',
    ]) {
      // CERT_REJECTED has no sentence of its own, so Node's message is quoted, less its advice.
      const sentence = describeError(nodeError(message, { code: 'CERT_REJECTED' }), CONTEXT);
      assert.doesNotMatch(sentence, /--use-system-ca|NODE_EXTRA_CA_CERTS|Run node/, sentence);
      assert.match(sentence, /\(CERT_REJECTED\): certificate rejected\. To connect anyway, turn on "Accept invalid certificates" under Connection options/);
    }
  });

  it("puts our controls where Node's advice was, in every sentence that quotes Node", () => {
    const systemCa = 'self-signed certificate in certificate chain; if the root CA is installed locally, try running Node.js with --use-system-ca';
    const caFix = ': to trust the server\'s authority, choose its PEM file as "CA certificate file" under Connection options, or turn on "Accept invalid certificates" under Connection options (for test servers only)';
    assert.equal(withOurRemedy(systemCa), `self-signed certificate in certificate chain${caFix}`);
    assert.equal(
      describeError(nodeError(systemCa, { code: 'ESOMETHING' }), CONTEXT),
      `self-signed certificate in certificate chain (ESOMETHING)${caFix}`,
    );
    assert.equal(
      describeError(new Error('unable to get local issuer certificate (use --use-openssl-ca)'), CONTEXT),
      `The WebSocket handshake failed: unable to get local issuer certificate${caFix}`,
    );
    assert.equal(
      withOurRemedy('certificate not trusted. Set NODE_TLS_REJECT_UNAUTHORIZED=0 to disable verification.'),
      'certificate not trusted: to connect anyway, turn on "Accept invalid certificates" under Connection options (for test servers only)',
    );
    assert.equal(withOurRemedy('xhr poll error'), 'xhr poll error', 'a message without advice stays as it is');
    for (const flag of ['--use-system-ca', '--use-openssl-ca', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED']) {
      const sentence = describeError(nodeError(`refused; try ${flag}`, { code: 'ERR_SSL_X' }), CONTEXT);
      assert.ok(!sentence.includes(flag), sentence);
      assert.match(sentence, /under Connection options/, sentence);
    }
  });

  it('covers the verification codes without CERT in their name, and ERR_TLS codes', () => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']) {
      const sentence = describeError(nodeError('why', { code }), CONTEXT);
      assert.match(sentence, new RegExp(`^The server's TLS certificate .*\\(${code}\\)`), sentence);
      assert.match(sentence, /"Accept invalid certificates" under Connection options/, sentence);
    }
  });

  it('a plain ws:// server behind wss:// and other SSL failures', () => {
    assert.equal(
      describeError(nodeError('wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), CONTEXT),
      'The TLS handshake with api.example.test:8443 failed (ERR_SSL_WRONG_VERSION_NUMBER); is the server speaking plain ws:// rather than wss://?',
    );
    assert.equal(
      describeError(nodeError('sslv3 alert handshake failure', { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }), CONTEXT),
      'The TLS handshake with api.example.test:8443 failed (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE): sslv3 alert handshake failure',
    );
  });
});

describe('describeError: protocol errors', () => {
  const cases: { code: string; message: string; closeCode: number; words: RegExp }[] = [
    { code: 'WS_ERR_INVALID_CLOSE_CODE', message: 'Invalid WebSocket frame: invalid status code 1005', closeCode: 1002, words: /close code that must not be sent \(invalid status code 1005\)/ },
    { code: 'WS_ERR_UNEXPECTED_MASK', message: 'Invalid WebSocket frame: MASK must be clear', closeCode: 1002, words: /servers must not mask/ },
    { code: 'WS_ERR_INVALID_OPCODE', message: 'Invalid WebSocket frame: invalid opcode 3', closeCode: 1002, words: /unknown or unexpected opcode \(invalid opcode 3\)/ },
    { code: 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', message: 'Invalid WebSocket frame: invalid payload length 1', closeCode: 1002, words: /1-byte payload; a close code takes 2 bytes/ },
    { code: 'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', message: 'Invalid WebSocket frame: invalid payload length 126', closeCode: 1002, words: /more than 125 bytes of payload \(invalid payload length 126\)/ },
    { code: 'WS_ERR_INVALID_UTF8', message: 'Invalid WebSocket frame: invalid UTF-8 sequence', closeCode: 1007, words: /not valid UTF-8/ },
    { code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', message: 'Max payload size exceeded', closeCode: 1009, words: /bigger than the limit of 1024 bytes/ },
    { code: 'WS_ERR_TOO_MANY_BUFFERED_PARTS', message: 'too many', closeCode: 1008, words: /too many fragments/ },
  ];
  for (const { code, message, closeCode, words } of cases) {
    it(`${code} (${message.replace(/^Invalid WebSocket frame: /, '')}) closes with ${closeCode}`, () => {
      const error = nodeError(message, { code });
      assert.equal(protocolErrorCloseCode(error), closeCode);
      const sentence = describeError(error, { ...CONTEXT, wasOpen: true });
      assert.match(sentence, words);
      assert.match(sentence, new RegExp(`\\(${code}\\); closing the connection with ${closeCode} `));
    });
  }

  it('other errors are not protocol errors; ws handshake checks carry no code', () => {
    assert.equal(protocolErrorCloseCode(nodeError('', { code: 'ECONNRESET' })), undefined);
    assert.equal(protocolErrorCloseCode(new Error('x')), undefined);
    assert.equal(describeError(new Error('Invalid Sec-WebSocket-Accept header'), CONTEXT), 'The WebSocket handshake failed: Invalid Sec-WebSocket-Accept header');
    assert.equal(describeError(new Error('later trouble'), { ...CONTEXT, wasOpen: true }), 'later trouble');
  });
});

describe('describeClose', () => {
  const open: CloseContext = { wasOpen: true, cancelled: false, failureCloseCode: undefined, sentClose: undefined, closeTimeoutMs: 30_000, now: 100_000 };

  it('a connection that never opened: cancelled or not established', () => {
    assert.equal(describeClose(1006, '', false, { ...open, wasOpen: false }), 'The connection was not established (1006 Abnormal Closure, not clean)');
    assert.equal(
      describeClose(1006, '', false, { ...open, wasOpen: false, cancelled: true }),
      'Connection attempt cancelled by the client (1006 Abnormal Closure, not clean)',
    );
  });

  it('unclean closes: after a protocol error, after our unanswered Close, or a lost connection', () => {
    assert.equal(
      describeClose(1006, '', false, { ...open, failureCloseCode: 1002 }),
      "Closed by client with 1002 Protocol Error after a protocol error, without waiting for the server's Close frame (1006 Abnormal Closure, not clean)",
    );
    assert.equal(
      describeClose(1006, '', false, { ...open, sentClose: { code: 1000, reason: '', at: 100_000 - 29_995 } }),
      'Closed by client; the server did not answer our Close frame within 30 s, so the connection was terminated (1006 Abnormal Closure, not clean)',
    );
    assert.equal(
      describeClose(1006, '', false, { ...open, sentClose: { code: 1000, reason: '', at: 99_000 } }),
      'Closed by client; no Close frame came back from the server (1006 Abnormal Closure, not clean)',
    );
    assert.equal(describeClose(1006, '', false, open), 'Connection lost without a Close frame (1006 Abnormal Closure, not clean)');
  });

  it('clean closes: by the server, by us, or by us with a different answer', () => {
    assert.equal(describeClose(1001, 'bye', true, open), 'Closed by server: 1001 Going Away, reason "bye" (clean)');
    const sent = { code: 4000, reason: 'done', at: 99_000 };
    assert.equal(describeClose(4000, 'done', true, { ...open, sentClose: sent }), 'Closed by client: 4000 Private use, reason "done" (clean)');
    assert.equal(
      describeClose(1000, '', true, { ...open, sentClose: sent }),
      'Closed by client with 4000 Private use, reason "done"; the server answered 1000 Normal Closure (clean)',
    );
  });
});

describe('small sentences', () => {
  it('codes, seconds and missing pongs', () => {
    assert.equal(describeCode(1000, ''), '1000 Normal Closure');
    assert.equal(describeCode(1011, 'oops "x"'), '1011 Internal Error, reason "oops \\"x\\""');
    assert.equal(formatSeconds(1500), '1.5 s');
    assert.equal(formatSeconds(30_000), '30 s');
    assert.equal(formatSeconds(1234.5678), '1.235 s');
    assert.equal(describeMissingPong(2000), 'No pong came back for the keep-alive ping sent 2 s ago');
  });
});
