import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionOrigin, remoteDescription } from '../../src/shared/connectionOrigin';
import { browserMayClose, browserLimits } from '../../src/shared/browserLimits';

describe('connectionOrigin', () => {
  it('a local window: this computer, whatever the kind', () => {
    for (const kind of ['ui', 'workspace'] as const) {
      const origin = connectionOrigin(undefined, kind);
      assert.equal(origin.label, 'this computer');
      assert.equal(origin.sentence, 'Connections leave from: this computer');
    }
  });

  it('running on the remote names the remote and its host', () => {
    assert.equal(connectionOrigin('ssh-remote', 'workspace', 'ssh-remote+build-box').sentence,
      'Connections leave from: SSH host build-box (this extension runs on the remote)');
    assert.equal(connectionOrigin('wsl', 'workspace', 'wsl+Ubuntu-22.04').label, 'WSL distro Ubuntu-22.04');
    assert.equal(connectionOrigin('dev-container', 'workspace', 'dev-container+7b2268').label, 'dev container');
    assert.equal(connectionOrigin('codespaces', 'workspace', 'codespaces+fuzzy-guide').sentence,
      'Connections leave from: Codespace (this extension runs on the remote)');
    assert.equal(connectionOrigin('attached-container', 'workspace').label, 'container');
  });

  it('running locally in a remote window: this computer, not the remote', () => {
    const origin = connectionOrigin('ssh-remote', 'ui', 'ssh-remote+build-box');
    assert.equal(origin.label, 'this computer');
    assert.equal(origin.sentence, 'Connections leave from: this computer (this extension runs locally, not on the SSH host build-box)');
    assert.equal(connectionOrigin('wsl', 'ui').sentence, 'Connections leave from: this computer (this extension runs locally, not on the WSL distro)');
  });

  it('an unknown remote (code-server reports its address) is named as it is', () => {
    assert.equal(connectionOrigin('127.0.0.1:8080', 'workspace').sentence,
      'Connections leave from: remote machine 127.0.0.1:8080 (this extension runs on the remote)');
  });

  it('the browser host', () => {
    const origin = connectionOrigin(undefined, 'web');
    assert.equal(origin.label, 'this browser');
    assert.match(origin.sentence, /^Connections leave from: this browser/);
    assert.equal(connectionOrigin('ssh-remote', 'web').label, 'this browser');
  });

  it('host names are decoded, and an authority of another remote is not trusted for a name', () => {
    assert.equal(remoteDescription('ssh-remote', 'ssh-remote+my%20box'), 'SSH host my box');
    assert.equal(remoteDescription('ssh-remote', 'wsl+Ubuntu'), 'SSH host');
    assert.equal(remoteDescription('ssh-remote', 'ssh-remote+%E0%A4%A'), 'SSH host %E0%A4%A');
  });
});

describe('browserLimits', () => {
  it('the browser closes only with 1000 and 3000-4999', () => {
    assert.ok(browserMayClose(1000));
    assert.ok(browserMayClose(3000));
    assert.ok(browserMayClose(4999));
    for (const code of [999, 1001, 1008, 2999, 5000, 3000.5]) assert.equal(browserMayClose(code), false, String(code));
  });

  it('every limit is one line', () => {
    for (const [name, reason] of Object.entries(browserLimits())) {
      assert.ok(reason.length > 20 && !reason.includes('\n'), name);
    }
  });
});
