/**
 * For `npm run bench` only: with WSD_BENCH_LOOP_DELAY naming a file, the first SIGUSR2 starts
 * measuring the extension host thread's event-loop delay (perf_hooks.monitorEventLoopDelay)
 * and the next one writes what it saw to that file as JSON ({ p50, p99, max } in ms, the sample
 * count, and `busy`: the share of the time the thread was not idle, its event-loop utilization).
 * Without the variable nothing is installed.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type * as vscode from 'vscode';

/** Samples every 10 ms: finer than the 20 ms target the bench holds the delay to. */
const RESOLUTION_MS = 10;

export function installBenchProbe(): vscode.Disposable | undefined {
  const file = process.env.WSD_BENCH_LOOP_DELAY;
  if (!file) return undefined;
  let histogram: IntervalHistogram | undefined;
  let started: EventLoopUtilization | undefined;
  const toggle = (): void => {
    if (!histogram) {
      histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      histogram.enable();
      started = performance.eventLoopUtilization();
      return;
    }
    histogram.disable();
    const busy = performance.eventLoopUtilization(started).utilization;
    const ms = (ns: number): number => ns / 1e6;
    writeFileSync(file, JSON.stringify({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), count: histogram.count, busy }));
    histogram = undefined;
  };
  process.on('SIGUSR2', toggle);
  return { dispose: () => void process.off('SIGUSR2', toggle) };
}
