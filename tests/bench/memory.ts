// Peak resident memory of a process group (the coordinator and its workers), sampled from /proc.
import { readdirSync, readFileSync } from 'node:fs';

export interface PeakMemory {
  /** Largest RSS of any one process of the group. */
  readonly maxProcessBytes: number;
  /** Largest sum of RSS over the group at one sample. */
  readonly totalBytes: number;
}

export function watchProcessGroup(pgid: number, everyMs = 200): { peak(): PeakMemory; stop(): void } {
  let maxProcessBytes = 0;
  let totalBytes = 0;
  const sample = () => {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // Fields after the command name (which may contain spaces): state ppid pgrp ...
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(rest[2]) !== pgid) continue;
        const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? 0) * 1024;
        total += rss;
        maxProcessBytes = Math.max(maxProcessBytes, rss);
      } catch {
        // the process ended between listing and reading
      }
    }
    totalBytes = Math.max(totalBytes, total);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    peak: () => ({ maxProcessBytes, totalBytes }),
    stop: () => clearInterval(timer),
  };
}
