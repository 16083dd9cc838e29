import { JOBS, jobEnv } from '../../../scheduler/jobs.ts';
import { ctxFor, isAdmin, type Deps } from '../../deps.ts';
import { parseDealdeskCommand } from '../../input/dealdesk.ts';
import { problemText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { dealdeskHelpText, dealdeskUsageText } from '../../ui/usage.ts';
import type { Routes } from '../boundary.ts';

export function registerDealdeskCommand(app: Routes, deps: Deps): void {
  app.command('/dealdesk', async ({ command, ack, respond }) => {
    const parsed = parseDealdeskCommand(command.text);
    if (!parsed.ok) return void (await ack(ephemeral(problemText(parsed.problem, dealdeskUsageText(parsed.usage)))));
    if (parsed.command.kind === 'help') return void (await ack(ephemeral(dealdeskHelpText())));
    if (!isAdmin(deps, command.user_id)) return void (await ack(ephemeral('Only dealdesk admins (ADMINS) can run digests by hand. Nothing was run.')));
    // Some digests crunch numbers in a worker: answer now, report when done.
    await ack(ephemeral(`:hourglass_flowing_sand: Running the ${parsed.command.job} digest…`));
    const job = parsed.command.job;
    const summary = await JOBS[job].run(ctxFor(deps, command.user_id), jobEnv(deps.config));
    await respond(ephemeral(`:white_check_mark: Ran the ${job} digest: ${summary}.`));
  });
}
