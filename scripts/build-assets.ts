/**
 * `npm run build`'s second step: what the compiled bot reads beside its code (dist/ mirrors the
 * project, so `new URL('../../db/migrations', import.meta.url)` finds the same files from dist/src).
 */
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

for (const path of ['db/migrations', 'db/migrations-pg', 'src/workspace/page', 'manifest.yml']) {
  rmSync(join(ROOT, 'dist', path), { recursive: true, force: true });
  cpSync(join(ROOT, path), join(ROOT, 'dist', path), { recursive: true });
}
// When dist/ was last built (the bench rebuilds when src/ or db/ is newer).
writeFileSync(join(ROOT, 'dist/.built'), new Date().toISOString());
