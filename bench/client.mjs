// One flood receiver for the benchmark, in its own process so the two receivers do not share a
// thread: `bare` is a plain ws client; `pipeline` is the extension's own path without VS Code
// (Connection → LogPipeline: MessageLog, ~50 ms batches encoded for postMessage and copied as
// VS Code copies them, acknowledged as the webview does). Prints JSON lines: {"ready":true} once
// open, then {"done":<epoch ms>} when `count` messages have arrived (pipeline: have been posted).
// `flow` is a flow run (FlowRunner): connect, then one `expect` that waits for the count-th
// message of the flood, passing over every message before it.
//
// Usage: node bench/client.mjs <bare|pipeline|flow> <url> <count>
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const [mode, url, countText] = process.argv.slice(2);
const count = Number(countText);
const now = () => performance.timeOrigin + performance.now();
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

if (mode === 'bare') {
  const ws = new WebSocket(url);
  let received = 0;
  ws.on('open', () => say({ ready: true }));
  ws.on('message', () => {
    received += 1;
    if (received === count) {
      say({ done: now() });
      ws.close();
    }
  });
} else if (mode === 'pipeline') {
  const require = createRequire(import.meta.url);
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'src', 'core');
  const { Connection } = require(path.join(out, 'connection.js'));
  const { LogPipeline } = require(path.join(out, 'logPipeline.js'));
  const { EntryLens } = require(path.join(out, 'panel', 'entryLens.js'));
  const { DEFAULT_LOG_CAPACITY } = require(path.join(out, '..', 'shared', 'messageLog.js'));
  let bytes = 0;
  let done = false;
  const connection = new Connection({ url, protocols: [], headers: [] }, { handshakeTimeoutMs: 10_000, maxPayload: 64 * 1024 * 1024 });
  const pipeline = new LogPipeline(
    DEFAULT_LOG_CAPACITY,
    (message) => {
      // VS Code copies the entry bytes of every post into its channel; so does this stand-in.
      bytes += new Uint8Array(message.entries.json).byteLength + new Uint32Array(message.entries.starts).byteLength;
      // The stand-in webview takes each batch in at once.
      setImmediate(() => pipeline.acknowledge());
      // Everything received so far is in this batch: the pipeline empties its queue per post.
      // The close entry comes in one more post: report once.
      if (!done && connection.state.counters.messagesReceived === count) {
        done = true;
        say({ done: now(), bytes });
        connection.dispose();
      }
    },
    () => {
      bytes += JSON.stringify({ type: 'state', state: connection.state }).length;
    },
  );
  pipeline.setLive(true);
  // As the panel listens: text messages as their bytes, everything else as entries, each past the
  // protocol lens (Auto: the flood server negotiates no subprotocol, so none reads them).
  const lens = new EntryLens(undefined, () => connection.state.protocol);
  connection.setTextSink((time, utf8) => {
    if (lens.active) pipeline.add(lens.receivedText(time, utf8));
    else pipeline.addReceivedText(time, utf8);
  });
  connection.onEntry((entry) => pipeline.add(lens.annotate(entry)));
  let open = false;
  connection.onStateChange((state) => {
    if (!open && state.readyState === 'OPEN') {
      open = true;
      say({ ready: true });
    }
    pipeline.markStateDirty();
  });
  connection.open();
} else if (mode === 'flow') {
  const require = createRequire(import.meta.url);
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'src');
  const { FlowRunner } = require(path.join(out, 'core', 'flows', 'flowRunner.js'));
  const { checkFlows } = require(path.join(out, 'shared', 'flows.js'));
  const { floodMessage } = await import('../test/e2e/servers.mjs');
  const endpoints = [{ id: 'flood', name: 'flood', url, protocols: [], headers: [] }];
  const steps = [{ connect: 'flood' }, { expect: { text: floodMessage(count - 1) }, timeout: 600_000 }];
  const checked = checkFlows([{ name: 'flood', steps }], { endpoints });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issue));
  const runner = new FlowRunner({ endpoints, flows: checked.checked, variables: [] });
  runner.onEvent((event) => {
    if (event.type === 'stepPassed' && event.step.number === 1) say({ ready: true });
    if (event.type === 'stepPassed' && event.step.number === 2) say({ done: now() });
    if (event.type === 'stepFailed') say({ failed: event.step.failure.message });
  });
  await runner.run();
} else {
  console.error('usage: node bench/client.mjs <bare|pipeline|flow> <url> <count>');
  process.exit(2);
}
