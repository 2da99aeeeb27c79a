/**
 * CPU time of a process tree from /proc (Linux only): how much CPU a browser spent, all its processes and threads
 * together, while the page ran a block of work — the page's counterpart of process.cpuUsage() in Node.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks (all the process's threads). */
  ticks: number;
}

/**
 * One /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself hold spaces and ')', so
 * the fields are counted from the last ')'.
 */
export function parseProcStat(line: string): ProcStat {
  const close = line.lastIndexOf(')');
  const pid = Number(line.slice(0, line.indexOf('(')).trim());
  // After the name: state(3) ppid(4) … utime(14) stime(15); index 0 here is field 3.
  const fields = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** Sum of `ticks` over every descendant of `root` (not `root` itself). */
export function descendantTicks(stats: readonly ProcStat[], root: number): number {
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  let total = 0;
  const queue = [...(children.get(root) ?? [])];
  for (let next = queue.pop(); next; next = queue.pop()) {
    total += next.ticks;
    queue.push(...(children.get(next.pid) ?? []));
  }
  return total;
}

let ticksPerSecond: number | null = null;

/** CPU ms used so far by every process this one started (e.g. Chromium, launched by Playwright). */
export function childrenCpuMs(root: number = process.pid): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      stats.push(parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8')));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return (descendantTicks(stats, root) * 1000) / ticksPerSecond;
}
