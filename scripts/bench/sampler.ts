/**
 * Memory sampled while the bench runs (issue 18): every ~50 ms, the VmRSS of the bot and of every
 * process under it, read from /proc in a worker thread (so the bench's own busy event loop does not
 * space the samples out). What it tells:
 *  - the true peak of the SUM of their RSS, over the whole run: what was in use at one moment (the
 *    sum of each process's VmHWM adds peaks from different moments, and so overstates it);
 *  - the peak of the sum of their PSS (smaps_rollup): each page shared between them (node's own
 *    code, mapped by the bot and the analytics process alike) counted once, split among its
 *    users, as the machine spends it; the sum of RSS counts such a page once per process;
 *  - each process's peak RSS in each phase, and the sum's peak in each phase: which task makes
 *    which process peak. A process that exits is counted while it lived (its samples), and its
 *    last VmHWM read is kept.
 */
import { Worker } from 'node:worker_threads';

export interface ProcPeak {
  name: string;
  pid: number;
  /** Its largest sampled VmRSS, MiB. */
  rss: number;
  /** Its last VmHWM read, MiB (its peak while it lived, up to the last sample). */
  hwm: number;
}

export interface PhasePeak {
  phase: string;
  ms: number;
  /** The largest sum of all processes' RSS sampled in this phase, MiB, and who held what then. */
  sum: number;
  at: { name: string; rss: number }[];
  /** Each process's largest RSS in this phase. */
  procs: ProcPeak[];
}

export interface MemReport {
  samples: number;
  /** The median and the largest time between two samples, ms. */
  intervalP50: number;
  intervalMax: number;
  /** The true peak of the sum, MiB, its phase and who held what then. */
  sum: number;
  /** The peak of the sum of PSS, MiB, its phase and who held what then (`rss` is then its PSS). */
  pss: { sum: number; phase: string; at: { name: string; rss: number }[] };
  sumPhase: string;
  at: { name: string; rss: number }[];
  phases: PhasePeak[];
  /** Every process seen, with its peak over the run. */
  procs: ProcPeak[];
}

// Plain JavaScript, evaluated in the worker (no loader there).
const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, readFileSync } = require('node:fs');
const { root, rootName, everyMs } = workerData;
const mib = (kb) => kb / 1024;
function nameOf(pid) {
  if (pid === root) return rootName;
  const parts = readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\0').filter(Boolean);
  const script = parts.findIndex((p, i) => i > 0 && !p.startsWith('-') && /\.(m?js|ts)$/.test(p));
  return (script < 0 ? parts.slice(-1) : parts.slice(script)).join(' ').replace(/^.*\/(src|dist)\//, '');
}
function tree() {
  const byParent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync('/proc/' + d + '/stat', 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push(Number(d));
    } catch {}
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const c of byParent.get(out[i]) || []) out.push(c);
  return out;
}
function status(pid) {
  const s = readFileSync('/proc/' + pid + '/status', 'utf8');
  const kb = (k) => Number(new RegExp('^' + k + ':\\s+(\\d+) kB', 'm').exec(s)?.[1] ?? NaN);
  return { rss: mib(kb('VmRSS')), hwm: mib(kb('VmHWM')) };
}
function pssOf(pid) {
  const s = readFileSync('/proc/' + pid + '/smaps_rollup', 'utf8');
  return mib(Number(/^Pss:\s+(\d+) kB/m.exec(s)?.[1] ?? NaN));
}
const names = new Map();
const procs = new Map(); // pid -> { name, pid, rss, hwm }
const fresh = () => ({ phase: undefined, t0: Date.now(), sum: 0, at: [], procs: new Map() });
let phase = fresh();
const phases = [];
let best = { sum: 0, of: phase, at: [] };
let bestPss = { sum: 0, of: phase, at: [] };
let samples = 0;
const gaps = [];
let last = 0;
function sample() {
  const now = performance.now();
  if (last) gaps.push(now - last);
  last = now;
  samples++;
  let sum = 0;
  let pss = 0;
  const at = [];
  const atPss = [];
  for (const pid of tree()) {
    let m;
    let shared;
    try {
      if (!names.has(pid)) names.set(pid, nameOf(pid));
      m = status(pid);
    } catch { continue; }
    // A PSS that cannot be read leaves out only the PSS sum, never the process's RSS.
    try { shared = pssOf(pid); } catch { shared = NaN; }
    if (!(m.rss >= 0)) continue;
    const name = names.get(pid);
    sum += m.rss;
    at.push({ name, rss: m.rss });
    if (shared >= 0) {
      pss += shared;
      atPss.push({ name, rss: shared });
    }
    const p = procs.get(pid) || { name, pid, rss: 0, hwm: 0 };
    p.rss = Math.max(p.rss, m.rss);
    p.hwm = Math.max(p.hwm, m.hwm);
    procs.set(pid, p);
    const q = phase.procs.get(pid) || { name, pid, rss: 0, hwm: 0 };
    q.rss = Math.max(q.rss, m.rss);
    q.hwm = Math.max(q.hwm, m.hwm);
    phase.procs.set(pid, q);
  }
  if (sum > phase.sum) { phase.sum = sum; phase.at = at; }
  if (sum > best.sum) best = { sum, of: phase, at };
  if (pss > bestPss.sum) bestPss = { sum: pss, of: phase, at: atPss };
}
function endPhase(name) {
  phase.phase = name;
  phases.push({ phase: phase.phase, ms: Date.now() - phase.t0, sum: phase.sum, at: phase.at, procs: [...phase.procs.values()] });
}
const timer = setInterval(sample, everyMs);
sample();
parentPort.on('message', (m) => {
  if (m.phase !== undefined) {
    sample();
    endPhase(m.phase);
    phase = fresh();
    return;
  }
  clearInterval(timer);
  sample();
  endPhase(m.stop);
  const sorted = [...gaps].sort((a, b) => a - b);
  parentPort.postMessage({
    samples,
    intervalP50: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    intervalMax: sorted[sorted.length - 1] ?? NaN,
    sum: best.sum, sumPhase: best.of.phase, at: best.at,
    pss: { sum: bestPss.sum, phase: bestPss.of.phase, at: bestPss.at },
    phases, procs: [...procs.values()],
  });
});
`;

export interface MemSampler {
  /** The samples since the last phase (or the start) were `name`'s. */
  phase(name: string): void;
  /** Stop; the samples since the last phase were `last`'s. */
  stop(last?: string): Promise<MemReport>;
}

export function sampleMemory(rootPid: number, rootName = 'bot', everyMs = 50): MemSampler {
  const w = new Worker(WORKER, { eval: true, workerData: { root: rootPid, rootName, everyMs } });
  w.unref();
  let stopped: Promise<MemReport> | undefined;
  return {
    phase: (name) => void (stopped ? undefined : w.postMessage({ phase: name })),
    stop: (last = 'end') =>
      (stopped ??= new Promise<MemReport>((resolve, reject) => {
        w.once('message', (r: MemReport) => {
          resolve(r);
          void w.terminate();
        });
        w.once('error', reject);
        w.postMessage({ stop: last });
      })),
  };
}

/** `abc 256, jobs 718`: names and MiB. */
export function listMiB(xs: { name: string; rss: number }[]): string {
  return xs.map((x) => `${x.name} ${x.rss.toFixed(0)}`).join(', ');
}
