/**
 * For `npm run bench` only: with WSD_BENCH_LOOP_DELAY naming a file, the first SIGUSR2 starts
 * measuring the extension host thread's event-loop delay (perf_hooks.monitorEventLoopDelay)
 * and the next one writes what it saw to that file as JSON ({ p50, p99, max } in ms, the sample
 * count, and `busy`: the share of the time the thread was not idle, its event-loop utilization).
 * The same span is also measured at 1 ms resolution (`fine`), where the sampling interval hides
 * less of a short block, and `gc` sums the garbage collector's pauses by kind. With WSD_BENCH_CPU_PROFILE naming a folder, the same span is also taken
 * as a CPU profile of the host thread (an inspector session), written there as a .cpuprofile.
 * Without the variables nothing is installed.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type * as vscode from 'vscode';

/** Samples every 10 ms: finer than the 20 ms target the bench holds the delay to. */
const RESOLUTION_MS = 10;
/** The same histogram, sampled every millisecond, reported beside it. */
const FINE_RESOLUTION_MS = 1;
/** The profiler's sampling interval in microseconds (its default is 1,000). */
const PROFILE_INTERVAL_US = 250;

interface Figures {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

function figuresOf(histogram: IntervalHistogram): Figures {
  const ms = (ns: number): number => ns / 1e6;
  return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), count: histogram.count };
}

/** A CPU profile of this thread, started now; `stop` writes it into `dir`. */
function startProfile(dir: string): { stop: () => void } {
  const session = new Session();
  session.connect();
  const fail = (error: Error | null): void => {
    if (error) console.error(`[bench probe] ${error.message}`);
  };
  session.post('Profiler.enable', fail);
  session.post('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US }, fail);
  session.post('Profiler.start', fail);
  return {
    stop: () =>
      session.post('Profiler.stop', (error, result) => {
        if (error) fail(error);
        else writeFileSync(path.join(dir, `host-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
        session.disconnect();
      }),
  };
}

/** The garbage collector's pauses of this thread by kind: how many, their sum and the longest, in ms. */
type GcFigures = Record<string, { count: number; totalMs: number; maxMs: number; flags: Record<string, number> }>;

/** The flags V8 gives a collection: why it ran, where one is known. */
const GC_FLAGS: [number, string][] = [
  [constants.NODE_PERFORMANCE_GC_FLAGS_FORCED, 'forced'],
  [constants.NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE, 'all available garbage'],
  [constants.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY, 'external memory'],
  [constants.NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE, 'idle'],
  [constants.NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING, 'synchronous phantom'],
  [constants.NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED, 'construct retained'],
];

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

function watchGc(): { stop: () => GcFigures } {
  const figures: GcFigures = {};
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as { detail?: { kind?: number; flags?: number } }).detail;
      const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other';
      const f = (figures[kind] ??= { count: 0, totalMs: 0, maxMs: 0, flags: {} });
      for (const [bit, name] of GC_FLAGS) if ((detail?.flags ?? 0) & bit) f.flags[name] = (f.flags[name] ?? 0) + 1;
      f.count += 1;
      f.totalMs += entry.duration;
      f.maxMs = Math.max(f.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop: () => {
      observer.disconnect();
      return figures;
    },
  };
}

export function installBenchProbe(): vscode.Disposable | undefined {
  const file = process.env.WSD_BENCH_LOOP_DELAY;
  if (!file) return undefined;
  const profileDir = process.env.WSD_BENCH_CPU_PROFILE;
  let histograms: { coarse: IntervalHistogram; fine: IntervalHistogram } | undefined;
  let started: EventLoopUtilization | undefined;
  let profile: { stop: () => void } | undefined;
  let gc: { stop: () => GcFigures } | undefined;
  const toggle = (): void => {
    if (!histograms) {
      histograms = {
        coarse: monitorEventLoopDelay({ resolution: RESOLUTION_MS }),
        fine: monitorEventLoopDelay({ resolution: FINE_RESOLUTION_MS }),
      };
      histograms.coarse.enable();
      histograms.fine.enable();
      started = performance.eventLoopUtilization();
      gc = watchGc();
      if (profileDir) profile = startProfile(profileDir);
      return;
    }
    histograms.coarse.disable();
    histograms.fine.disable();
    profile?.stop();
    profile = undefined;
    const busy = performance.eventLoopUtilization(started).utilization;
    const gcFigures = gc?.stop() ?? {};
    gc = undefined;
    writeFileSync(file, JSON.stringify({ ...figuresOf(histograms.coarse), fine: figuresOf(histograms.fine), busy, gc: gcFigures }));
    histograms = undefined;
  };
  process.on('SIGUSR2', toggle);
  return { dispose: () => void process.off('SIGUSR2', toggle) };
}
