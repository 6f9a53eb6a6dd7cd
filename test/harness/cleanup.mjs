// One place that knows everything a test run started (servers, browsers, temp dirs), so it is
// all stopped on success, on failure, on an uncaught error and on Ctrl+C / SIGTERM alike.

const tasks = [];
let signalsHooked = false;
let signalExitCode;

/**
 * Registers `stop` (may be async) to run at cleanup; `stopSync` is what still can run from the
 * process 'exit' event, where nothing asynchronous completes. Returns a function that runs the
 * task now and forgets it.
 */
export function onCleanup(stop, stopSync = stop) {
  hookSignals();
  const task = { stop, stopSync, done: false };
  tasks.push(task);
  return async () => {
    if (task.done) return;
    task.done = true;
    tasks.splice(tasks.indexOf(task), 1);
    await stop();
  };
}

/** Runs every registered task, newest first; a task that hangs is abandoned after `timeoutMs`. */
export async function cleanupAll(timeoutMs = 10_000) {
  while (tasks.length > 0) {
    const task = tasks.pop();
    task.done = true;
    let timer;
    try {
      await Promise.race([
        Promise.resolve().then(task.stop),
        new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
      ]);
    } catch (error) {
      console.error(`cleanup: ${error?.message ?? error}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** True once SIGINT/SIGTERM/SIGHUP arrived (errors after that are consequences, not causes). */
export function interrupted() {
  return signalExitCode !== undefined;
}

/**
 * Cleans up and exits with `code`, or with the signal's conventional code (130 for SIGINT)
 * when a signal ended the run: the signal, not the errors it caused, is the result.
 */
export async function cleanupAndExit(code) {
  await cleanupAll();
  process.exit(signalExitCode ?? code);
}

function hookSignals() {
  if (signalsHooked) return;
  signalsHooked = true;
  const onSignal = (signal, code) => {
    process.on(signal, () => {
      signalExitCode = code;
      console.error(`\n${signal}: stopping everything this run started...`);
      // A second signal while cleaning up exits at once (the 'exit' hook still runs).
      process.on(signal, () => process.exit(code));
      cleanupAll(5_000).finally(() => process.exit(code));
    });
  };
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  onSignal('SIGHUP', 129);
  process.on('exit', () => {
    for (const task of tasks.splice(0).reverse()) {
      try {
        task.stopSync();
      } catch {
        // Best effort: the process is going away.
      }
    }
  });
}
