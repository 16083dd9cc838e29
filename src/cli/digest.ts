import { ConfigError, loadConfig } from '../config.ts';
import { createBotLogger } from '../server.ts';
import { openStore } from '../repos/open.ts';
import { JOB_NAMES, JOBS, jobEnv, SYSTEM_ACTOR, type JobName } from '../scheduler/jobs.ts';
import { rolesCtx } from '../slack/deps.ts';
import { makeRender } from '../slack/notices.ts';
import { peopleLocales } from '../services/prefs.ts';
import { OutboxSender } from '../slack/outbox-sender.ts';
import { jobSummary } from '../slack/ui/messages/jobs.ts';
import { runCli } from './run.ts';

const USAGE = `Usage: npm run digest -- <${JOB_NAMES.join('|')}> [--as-of <YYYY-MM-DDTHH:mm>]
Runs one scheduled job now (or as of the given time) and delivers its messages to Slack.`;

/** `npm run digest -- <name>`: one scheduled job, now, then exit. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (!(JOB_NAMES as readonly string[]).includes(name)) {
    process.stderr.write(`"${name}" is not a job.\n${USAGE}\n`);
    return 2;
  }
  let now = Date.now();
  if (rest[0] === '--as-of') {
    const t = Date.parse(rest[1] ?? '');
    if (Number.isNaN(t)) {
      process.stderr.write(`--as-of needs a date and time such as 2026-12-01T09:00.\n${USAGE}\n`);
      return 2;
    }
    now = t;
  } else if (rest.length > 0) {
    process.stderr.write(`Unexpected "${rest.join(' ')}".\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  const logger = createBotLogger(config);
  const store = await openStore(config);
  try {
    const people = await peopleLocales(store);
    const render = makeRender(config, { tz: config.tz, locale: config.locale }, (u) => people.get(u) ?? config.locale);
    const outcome = await JOBS[name as JobName].run(rolesCtx(config, { store, actor: SYSTEM_ACTOR, now, render }), jobEnv(config));
    process.stdout.write(`${jobSummary(outcome, config.locale)}\n`);
    const sender = new OutboxSender(store, config.botToken, config.apiUrl, logger);
    const delivered = await sender.flush(30_000);
    await sender.stop();
    if (!delivered) process.stdout.write('Some messages could not be delivered yet; the bot will deliver them when it runs.\n');
    return 0;
  } finally {
    await store.close();
  }
}

runCli('digest', main, [ConfigError]);
