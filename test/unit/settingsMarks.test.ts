// The request settings tabs' marks: how many values each tab holds that a new connection's form
// does not, and the tab names that say so.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countHeaders, countOptions, countParams, countSocketIo, countVariables, markedTabName, type OptionsDraft, type SocketIoDraft } from '../../src/shared/settingsMarks';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';

/** A fresh Connection options form. */
const OPTIONS: OptionsDraft = {
  acceptInvalidCerts: false,
  caFile: '',
  certFile: '',
  keyFile: '',
  pfxFile: '',
  passphrase: '',
  perMessageDeflate: true,
  autoReconnect: false,
  pingInterval: '',
  autoPong: true,
  bypassProxy: false,
  lens: 'auto',
  decodeAs: '',
};

/** A fresh Socket.IO form, as setOptions fills it from the defaults. */
const SOCKET_IO: SocketIoDraft = {
  namespace: DEFAULT_SOCKET_IO_OPTIONS.namespace,
  path: DEFAULT_SOCKET_IO_OPTIONS.path,
  transports: DEFAULT_SOCKET_IO_OPTIONS.transports,
  version: DEFAULT_SOCKET_IO_OPTIONS.version,
  auth: '',
  query: [],
  reconnection: DEFAULT_SOCKET_IO_OPTIONS.reconnection,
  ackTimeout: String(DEFAULT_SOCKET_IO_OPTIONS.ackTimeoutSeconds),
};

describe('settings tab marks', () => {
  it('Params counts the URL query parameters, repeated names and {{references}} included', () => {
    assert.equal(countParams('wss://example.com/socket'), 0);
    assert.equal(countParams('wss://example.com/socket?'), 0);
    assert.equal(countParams('wss://example.com/socket?token={{token}}&room=a&room=b'), 3);
    assert.equal(countParams('wss://example.com/socket?flag'), 1);
    // An empty pair is not a parameter.
    assert.equal(countParams('wss://example.com/?&a=1&'), 1);
  });

  it('Headers counts subprotocols and header rows with a name, not blank rows', () => {
    assert.equal(countHeaders('', []), 0);
    assert.equal(countHeaders(' , ', [{ name: '', value: '' }, { name: '  ', value: 'x' }]), 0);
    assert.equal(countHeaders('chat, superchat', [{ name: 'Authorization', value: 'Bearer {{token}}' }, { name: '', value: '' }]), 3);
  });

  it('Connection options counts what differs from the defaults, decoding included', () => {
    assert.equal(countOptions(OPTIONS, false), 0);
    // 0 seconds turns keep-alive off, as an empty box does; "auto" is the default lens.
    assert.equal(countOptions({ ...OPTIONS, pingInterval: ' 0 ' }, false), 0);
    assert.equal(countOptions({ ...OPTIONS, caFile: '   ' }, false), 0);
    assert.equal(countOptions({ ...OPTIONS, perMessageDeflate: false, autoPong: false, pingInterval: '30', decodeAs: 'msgpack' }, false), 4);
    const all: OptionsDraft = {
      acceptInvalidCerts: true,
      caFile: 'ca.pem',
      certFile: 'c.pem',
      keyFile: 'c.key',
      pfxFile: 'c.pfx',
      passphrase: ' ',
      perMessageDeflate: false,
      autoReconnect: true,
      pingInterval: 'abc',
      autoPong: false,
      bypassProxy: true,
      lens: 'mqtt',
      decodeAs: 'protobuf',
    };
    assert.equal(countOptions(all, false), 13);
    // A Socket.IO connection shows (and sends) only the proxy and decoding options.
    assert.equal(countOptions(all, true), 2);
    assert.equal(countOptions({ ...OPTIONS, acceptInvalidCerts: true }, true), 0);
  });

  it('Socket.IO counts options that differ from the defaults and each extra query parameter', () => {
    assert.equal(countSocketIo(SOCKET_IO), 0);
    // Blank boxes mean the defaults, as the form reads them.
    assert.equal(countSocketIo({ ...SOCKET_IO, namespace: ' ', path: '', ackTimeout: '10.0' }), 0);
    assert.equal(
      countSocketIo({ ...SOCKET_IO, namespace: '/chat', version: 'v2', auth: '{"token":"t"}', reconnection: false, ackTimeout: '5', query: [{ name: 'room', value: '1' }, { name: '', value: '' }] }),
      6,
    );
    assert.equal(countSocketIo({ ...SOCKET_IO, path: '/io', transports: 'polling' }), 2);
  });

  it('Variables counts named rows; the name says how many are set', () => {
    assert.equal(countVariables([{ name: 'token' }, { name: ' ' }, { name: 'host' }]), 2);
    assert.equal(markedTabName('Headers', 0), 'Headers');
    assert.equal(markedTabName('Headers', 2), 'Headers, 2 set');
    assert.equal(markedTabName('Connection options', 1), 'Connection options, 1 set');
  });
});
