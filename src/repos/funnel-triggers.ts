/**
 * deal_last_changes (db/schema/deals.ts): each deal's latest stage change, kept by triggers on
 * deal_stage_changes, per dialect, in the shape of the running ABC totals (abc-triggers.ts).
 * The latest is the one with the greatest `at`, of two at one moment the greater id. An insert
 * replaces a deal's row when it is later; a delete or an update of a change looks the deal's
 * latest change up again. Installed after the migrations by openDb and openPgDb: when the
 * triggers are missing or differ from these, they are (re)created and the table is rebuilt from
 * deal_stage_changes in the same transaction, so no change written meanwhile is missed.
 */
import type pg from 'pg';
import { installPgTriggerFunction, installSqliteTriggerSet } from './triggers.ts';

const COLS = 'deal_id, change_id, from_stage, to_stage, at';
/** The latest change of the deal `deal` (an expression), as a row of deal_last_changes. */
const latestOf = (deal: string) =>
  `SELECT c.deal_id, c.id, c.from_stage, c.to_stage, c.at FROM deal_stage_changes c WHERE c.deal_id = ${deal} ORDER BY c.at DESC, c.id DESC LIMIT 1`;
const later = 'excluded.at > deal_last_changes.at OR (excluded.at = deal_last_changes.at AND excluded.change_id > deal_last_changes.change_id)';
const upsertNew = `INSERT INTO deal_last_changes (${COLS}) VALUES (NEW.deal_id, NEW.id, NEW.from_stage, NEW.to_stage, NEW.at)
    ON CONFLICT (deal_id) DO UPDATE SET change_id = excluded.change_id, from_stage = excluded.from_stage, to_stage = excluded.to_stage, at = excluded.at WHERE ${later}`;

/** SQLite's triggers, by name. */
export function sqliteFunnelTriggers(): Record<string, string> {
  const again = (deal: string) => [`DELETE FROM deal_last_changes WHERE deal_id = ${deal}`, `INSERT INTO deal_last_changes (${COLS}) ${latestOf(deal)}`];
  const body = (stmts: string[]) => `BEGIN\n  ${stmts.join(';\n  ')};\nEND`;
  return {
    funnel_change_insert: `CREATE TRIGGER funnel_change_insert AFTER INSERT ON deal_stage_changes\n${body([upsertNew])}`,
    funnel_change_delete: `CREATE TRIGGER funnel_change_delete AFTER DELETE ON deal_stage_changes WHEN OLD.id = (SELECT change_id FROM deal_last_changes WHERE deal_id = OLD.deal_id)\n${body(again('OLD.deal_id'))}`,
    funnel_change_update: `CREATE TRIGGER funnel_change_update AFTER UPDATE OF id, deal_id, from_stage, to_stage, at ON deal_stage_changes\n${body([...again('OLD.deal_id'), ...again('NEW.deal_id')])}`,
  };
}

const rebuild = [`DELETE FROM deal_last_changes`, `INSERT INTO deal_last_changes (${COLS}) SELECT l.* FROM (SELECT DISTINCT deal_id FROM deal_stage_changes) d, LATERAL (${latestOf('d.deal_id')}) l`];
const sqliteRebuild = [
  `DELETE FROM deal_last_changes`,
  `INSERT INTO deal_last_changes (${COLS}) SELECT c.deal_id, c.id, c.from_stage, c.to_stage, c.at FROM deal_stage_changes c
     WHERE c.id = (SELECT x.id FROM deal_stage_changes x WHERE x.deal_id = c.deal_id ORDER BY x.at DESC, x.id DESC LIMIT 1)`,
];

/** Install (or bring up to date) SQLite's triggers, rebuilding the table with them; a no-op when they are as written here. */
export function installSqliteFunnelTriggers(conn: import('better-sqlite3').Database): void {
  installSqliteTriggerSet(conn, 'funnel_change_', sqliteFunnelTriggers(), sqliteRebuild);
}

/**
 * PostgreSQL's trigger: one function for inserts, updates and deletes. db:copy sets
 * `dealdesk.copying` in its transaction: it copies deal_last_changes as it is.
 */
export function pgFunnelTriggerSql(): string {
  const again = (deal: string) => `DELETE FROM deal_last_changes WHERE deal_id = ${deal};
    INSERT INTO deal_last_changes (${COLS}) ${latestOf(deal)};`;
  return `CREATE OR REPLACE FUNCTION funnel_track() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF current_setting('dealdesk.copying', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    ${upsertNew};
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.id = (SELECT change_id FROM deal_last_changes WHERE deal_id = OLD.deal_id) THEN
      ${again('OLD.deal_id')}
    END IF;
  ELSIF (OLD.id, OLD.deal_id, OLD.from_stage, OLD.to_stage, OLD.at) IS DISTINCT FROM (NEW.id, NEW.deal_id, NEW.from_stage, NEW.to_stage, NEW.at) THEN
    ${again('OLD.deal_id')}
    ${again('NEW.deal_id')}
  END IF;
  RETURN NULL;
END
$fn$;
CREATE OR REPLACE TRIGGER funnel_track AFTER INSERT OR DELETE OR UPDATE ON deal_stage_changes FOR EACH ROW EXECUTE FUNCTION funnel_track();`;
}

/** PostgreSQL's trigger brought up to date (its text's digest is the function's comment), the table rebuilt with it. */
export async function installPgFunnelTriggers(client: pg.PoolClient): Promise<void> {
  // No stage change is written between the rebuild and the trigger taking over.
  await installPgTriggerFunction(client, 'funnel_track()', pgFunnelTriggerSql(), { before: ['LOCK TABLE deal_stage_changes IN SHARE ROW EXCLUSIVE MODE'], rebuild });
}
