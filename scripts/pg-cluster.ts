import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway PostgreSQL cluster on loopback, for one test run (see pg-global-setup.ts). */
export interface PgCluster {
  /** Superuser URL of the `postgres` database: create databases through it. */
  adminUrl: string;
  /** Stop the server at once and remove its folder; safe to call twice, synchronous (signal handlers). */
  stop(): void;
}

export const INSTALL_HINT = 'PostgreSQL server binaries (initdb, pg_ctl) are missing: install them with `apt-get install -y postgresql`.';

/** initdb of the newest PostgreSQL under /usr/lib/postgresql/<major>/bin, or undefined. */
export function findPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return majors.map((v) => join(root, v, 'bin')).find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** initdb and pg_ctl refuse to run as root: as root they run as the `postgres` user. */
function run(bin: string, args: string[], asPostgres: boolean): { ok: boolean; output: string } {
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function postgresIds(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error(`running as root, but there is no \`postgres\` user to run the server as. ${INSTALL_HINT}`);
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export interface ClusterOptions {
  /** Keep the cluster in this folder across runs (the bench's cached data); else a temporary one, removed at stop. */
  keepIn?: string;
  /** fsync and full-page writes on, as in production (the bench); tests run without them. */
  durable?: boolean;
}

/** initdb a cluster (or reuse a kept one) and start it on a free loopback port. */
export async function startPgCluster(o: ClusterOptions = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error(INSTALL_HINT);
  const asPostgres = process.getuid?.() === 0;
  const dir = o.keepIn ?? mkdtempSync(join(tmpdir(), 'dealdesk-pg-'));
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (asPostgres) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  let started = false;
  const stop = () => {
    if (started) run(join(bin, 'pg_ctl'), ['-D', data, '-m', o.keepIn ? 'fast' : 'immediate', '-w', 'stop'], asPostgres);
    started = false;
    if (!o.keepIn) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const reuse = o.keepIn !== undefined && existsSync(join(data, 'PG_VERSION'));
    const init = reuse ? { ok: true, output: '' } : run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], asPostgres);
    if (!init.ok) throw new Error(`initdb failed:\n${init.output}`);
    // A port found free may be taken before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const fast = o.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
      const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}${fast} -c max_connections=200`;
      const start = run(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', '-o', opts, 'start'], asPostgres);
      if (start.ok) {
        started = true;
        return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
      }
      if (attempt === 3) {
        const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '';
        throw new Error(`pg_ctl start failed:\n${start.output}\n${tail}`);
      }
    }
  } catch (err) {
    stop();
    throw err;
  }
}
