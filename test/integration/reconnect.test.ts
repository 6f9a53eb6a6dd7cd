import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { backoffCeiling, JITTER } from '../../src/shared/backoff';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';
const PY_ECHO = path.resolve(__dirname, '../../../test/e2e/servers/py_echo.py');

/** The Python echo server as a separate process, on `port` (0: any). */
async function startServerProcess(port: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn('/usr/bin/python3', [PY_ECHO, '--port', String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const listening = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`py_echo.py did not start: ${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`py_echo.py exited with ${code}: ${output}`)));
  });
  return { child, port: listening };
}

describe('Auto-reconnect against a server process that dies and comes back', () => {
  let api: WebSocketDebuggerApi;
  const children: ChildProcess[] = [];
  const config = () => vscode.workspace.getConfiguration('websocketDebugger.reconnect');

  before(async () => {
    api = await vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID)!.activate();
    await config().update('initialDelay', 0.25, vscode.ConfigurationTarget.Global);
    await config().update('maxDelay', 1, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const panel of api.panels.all) panel.dispose();
    await config().update('initialDelay', undefined, vscode.ConfigurationTarget.Global);
    await config().update('maxDelay', undefined, vscode.ConfigurationTarget.Global);
  });

  it('waits backoff delays within the bounds, reconnects when the server is back, and Disconnect stops it', async function () {
    this.timeout(60_000);
    const first = await startServerProcess(0);
    children.push(first.child);
    const url = `ws://127.0.0.1:${first.port}/`;
    const panel = api.panels.open({ url, protocols: [], headers: [], options: { autoReconnect: true } });
    await waitFor('OPEN', () => panel.state.readyState === 'OPEN', 15_000);

    first.child.kill('SIGKILL');
    await waitFor('a countdown', () => panel.state.reconnect !== undefined, 15_000);
    // The server stays down for a few attempts; each fails and schedules the next.
    await waitFor('attempt 3', () => (panel.state.reconnect?.attempt ?? 0) >= 3, 15_000);

    const second = await startServerProcess(first.port);
    children.push(second.child);
    await waitFor('OPEN again', () => panel.state.readyState === 'OPEN', 20_000);
    assert.equal(panel.state.reconnect, undefined);

    const policy = { initialMs: 250, maxMs: 1000, maxAttempts: 10 };
    const delays = panel.entries
      .map((e) => /^Auto-reconnect: attempt (\d+) in ([\d.]+) (ms|s)$/.exec(e.detail ?? ''))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ attempt: Number(m[1]), ms: Number(m[2]) * (m[3] === 's' ? 1000 : 1) }));
    assert.ok(delays.length >= 3, JSON.stringify(delays));
    for (const { attempt, ms } of delays) {
      const ceiling = backoffCeiling(attempt, policy);
      assert.ok(ms <= ceiling + 0.1 && ms >= ceiling * (1 - JITTER) - 0.1, `attempt ${attempt}: ${ms} ms, ceiling ${ceiling}`);
    }
    assert.deepEqual(delays.slice(0, 3).map((d) => d.attempt), [1, 2, 3]);

    // Down again; this time the user presses Disconnect while it waits.
    second.child.kill('SIGKILL');
    await waitFor('a countdown', () => panel.state.reconnect !== undefined, 15_000);
    panel.disconnect();
    assert.equal(panel.state.reconnect, undefined);
    const third = await startServerProcess(first.port);
    children.push(third.child);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(panel.state.readyState, 'CLOSED', 'no attempt after Disconnect');
    assert.ok(panel.entries.some((e) => e.detail === 'Auto-reconnect stopped by Disconnect'));
  });
});
