/** Children: started here, stopped here, whatever happens; and what the bench asks of them (ports, memory, readiness). */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { ROOT } from './config.ts';
import { sleep } from './report.ts';

export interface Child {
  name: string;
  proc: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}
export const children: Child[] = [];

export function startChild(name: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) log.push(l);
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const child = { name, proc, log, exited };
  children.push(child);
  return child;
}

export async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGTERM');
  const done = await Promise.race([c.exited.then(() => true), sleep(15_000).then(() => false)]);
  if (!done) {
    c.proc.kill('SIGKILL');
    await c.exited;
  }
}

export function stopAllNow(): void {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
}

/** Stop every child on Ctrl-C, SIGTERM and exit, however the bench ends. */
export function stopChildrenOnExit(): void {
  process.once('SIGINT', () => {
    stopAllNow();
    process.exit(130);
  });
  process.once('SIGTERM', () => {
    stopAllNow();
    process.exit(143);
  });
  process.once('exit', stopAllNow);
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** The processes started by `pid` (its children and theirs): the analytics and chart processes of a bot. */
export function descendants(pid: number): { pid: number; name: string }[] {
  const byParent = new Map<number, { pid: number; name: string }[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      // The script and its arguments (the analytics processes are named by theirs: abc, jobs, charts).
      const parts = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const script = parts.findIndex((p, i) => i > 0 && !p.startsWith('-') && /\.(m?js|ts)$/.test(p));
      const cmd = (script < 0 ? parts.slice(-1) : parts.slice(script)).join(' ');
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), { pid: Number(d), name: cmd.replace(/^.*\/(src|dist)\//, '') }]);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: { pid: number; name: string }[] = [];
  for (let todo = [pid]; todo.length > 0; ) for (const c of byParent.get(todo.shift()!) ?? []) out.push(c), todo.push(c.pid);
  return out;
}

/** /proc/<pid>/status figures in MiB. */
export function procMem(pid: number): { hwm: number; rss: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

export async function waitHttp(url: string, timeoutMs: number, child: Child): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.log.slice(-20).join('\n')}`);
    try {
      const r = await fetch(url);
      await r.text();
      if (r.status < 500) return performance.now() - t0;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.log.slice(-20).join('\n')}`);
    await sleep(100);
  }
}
