// A tiny sequential test runner for the e2e specs. Spec modules register tests with `test()`
// when imported; the runner (test/e2e/run.mjs) imports one spec file at a time and runs its
// tests in order against the one shared workbench. Deliberately small: no parallelism (there is
// one browser page), no hooks beyond what a spec writes itself.

const registered = [];

/**
 * Registers a test: `test(name, fn)` or `test(name, { timeout, skip }, fn)`. `fn(ctx)` gets the
 * shared context described in test/e2e/README.md; a thrown error or rejection fails the test.
 */
export function test(name, optionsOrFn, maybeFn) {
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn ?? {};
  if (typeof fn !== 'function') throw new TypeError(`test "${name}" has no function`);
  registered.push({ name, fn, timeout: options.timeout ?? 60_000, skip: Boolean(options.skip) });
}

/** The tests registered since the last call (the runner calls it after importing each spec). */
export function takeRegisteredTests() {
  return registered.splice(0);
}

/** Runs `fn(ctx)` with a time limit; resolves to undefined on success or to the error. */
export async function runWithTimeout(fn, ctx, timeoutMs) {
  let timer;
  try {
    await Promise.race([
      Promise.resolve().then(() => fn(ctx)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}
