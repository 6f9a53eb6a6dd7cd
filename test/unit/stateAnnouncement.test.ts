import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stateAnnouncement, type AnnouncedState } from '../../src/shared/stateAnnouncement';

const closed: AnnouncedState = { readyState: 'CLOSED', url: '', protocol: '' };
const connecting: AnnouncedState = { readyState: 'CONNECTING', url: 'ws://localhost:8080/chat', protocol: '' };
const open: AnnouncedState = { ...connecting, readyState: 'OPEN' };

describe('stateAnnouncement', () => {
  test('the first state a panel shows is not announced', () => {
    assert.equal(stateAnnouncement(undefined, open), undefined);
  });

  test('connecting and connected name the URL, and the subprotocol when one was agreed', () => {
    assert.equal(stateAnnouncement(closed, connecting), 'Connecting to ws://localhost:8080/chat');
    assert.equal(stateAnnouncement(connecting, open), 'Connected to ws://localhost:8080/chat');
    assert.equal(stateAnnouncement(connecting, { ...open, protocol: 'chat' }), 'Connected to ws://localhost:8080/chat, subprotocol chat');
  });

  test('a close says its code, the code name and the reason', () => {
    assert.equal(stateAnnouncement(open, { ...open, readyState: 'CLOSED', close: { code: 1000, reason: '', wasClean: true } }), 'Closed 1000 Normal Closure');
    assert.equal(
      stateAnnouncement(open, { ...open, readyState: 'CLOSED', close: { code: 4001, reason: 'bye', wasClean: true } }),
      'Closed 4001 Private use: bye',
    );
  });

  test('a failure is told apart from a lost connection and a cancelled attempt', () => {
    assert.equal(stateAnnouncement(connecting, { ...connecting, readyState: 'CLOSED', error: 'refused' }), 'Connection failed');
    assert.equal(stateAnnouncement(open, { ...open, readyState: 'CLOSED', error: 'reset' }), 'Connection lost');
    assert.equal(stateAnnouncement(connecting, { ...connecting, readyState: 'CLOSED' }), 'Connection attempt cancelled');
  });

  test('an unchanged state (new counters, say) is not announced again', () => {
    assert.equal(stateAnnouncement(open, { ...open }), undefined);
  });

  test('each reconnect attempt is announced once', () => {
    const waiting: AnnouncedState = { ...closed, url: open.url, reconnectAttempt: 1 };
    assert.equal(stateAnnouncement(closed, waiting), 'Reconnecting, attempt 1');
    assert.equal(stateAnnouncement(waiting, { ...waiting }), undefined);
    assert.equal(stateAnnouncement(waiting, { ...waiting, reconnectAttempt: 2 }), 'Reconnecting, attempt 2');
  });
});

describe('stateAnnouncement with auto-reconnect', () => {
  test('a close that starts a reconnect says both', () => {
    const after: AnnouncedState = { ...open, readyState: 'CLOSED', close: { code: 1006, reason: '', wasClean: false }, reconnectAttempt: 1 };
    assert.equal(stateAnnouncement(open, after), 'Closed 1006 Abnormal Closure. Reconnecting, attempt 1');
  });
});
