/**
 * Debian's Python WebSocket and Socket.IO servers (test/e2e/servers/*.py) as peers for unit
 * tests: implementations that share no code with ours. Each is stopped when the test ends.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TestContext } from 'node:test';

// Tests run from out/test/unit/helpers; the scripts are at the repository root.
const root = path.resolve(__dirname, '../../../..');

/** Starts `test/e2e/servers/<script>` on port 0 and resolves with its port once it listens. */
export function startPythonServer(t: TestContext, script: string): Promise<number> {
  const python = spawn('/usr/bin/python3', [path.join(root, 'test/e2e/servers', script), '--port', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => python.kill('SIGTERM'));
  let output = '';
  let errors = '';
  python.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  return new Promise<number>((resolve, reject) => {
    python.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /LISTENING (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    python.on('error', reject);
    python.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${errors}`)));
  });
}
