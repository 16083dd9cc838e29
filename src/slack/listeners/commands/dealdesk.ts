import type { App } from '@slack/bolt';
import { JOBS } from '../../../scheduler/jobs.ts';
import { ctxFor, isAdmin, type Deps } from '../../deps.ts';
import { parseDealdeskCommand } from '../../input/dealdesk.ts';
import { problemText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { dealdeskHelpText, dealdeskUsageText } from '../../ui/usage.ts';
import { guarded } from '../guard.ts';

export function registerDealdeskCommand(app: App, deps: Deps): void {
  app.command('/dealdesk', async ({ command, ack }) => {
    await guarded(deps, ack, () => {
      const parsed = parseDealdeskCommand(command.text);
      if (!parsed.ok) return ephemeral(problemText(parsed.problem, dealdeskUsageText(parsed.usage)));
      if (parsed.command.kind === 'help') return ephemeral(dealdeskHelpText());
      if (!isAdmin(deps, command.user_id)) return ephemeral('Only dealdesk admins (ADMINS) can run digests by hand. Nothing was run.');
      const summary = JOBS[parsed.command.job].run(ctxFor(deps, command.user_id));
      return ephemeral(`:white_check_mark: Ran the ${parsed.command.job} digest: ${summary}.`);
    });
  });
}
