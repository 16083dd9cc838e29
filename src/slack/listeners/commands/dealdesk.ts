import { JOBS, jobEnv } from '../../../scheduler/jobs.ts';
import { announce } from '../../../services/announce.ts';
import { chooseLanguage } from '../../../services/prefs.ts';
import { ctxFor, isAdmin, readerFmt, type Deps } from '../../deps.ts';
import { parseDealdeskCommand } from '../../input/dealdesk.ts';
import { problemText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { digestAdminsOnly, digestRan, digestRunning, languageChosen, languageNow } from '../../ui/messages/answers.ts';
import { jobSummary } from '../../ui/messages/jobs.ts';
import { dealdeskHelpText, dealdeskUsageText } from '../../ui/usage.ts';
import type { Routes } from '../boundary.ts';

export function registerDealdeskCommand(app: Routes, deps: Deps): void {
  app.command('/dealdesk', async ({ command, ack, respond }) => {
    const parsed = parseDealdeskCommand(command.text);
    const { locale } = await readerFmt(deps, command.user_id);
    if (!parsed.ok) return void (await ack(ephemeral(problemText(parsed.problem, dealdeskUsageText(parsed.usage, locale), locale))));
    const cmd = parsed.command;
    if (cmd.kind === 'help') return void (await ack(ephemeral(dealdeskHelpText(locale))));
    if (cmd.kind === 'language') {
      if (!cmd.locale) return void (await ack(ephemeral(languageNow(locale, deps.languages.chose(command.user_id)))));
      const ctx = ctxFor(deps, command.user_id);
      await chooseLanguage(ctx, cmd.locale);
      deps.languages.remember(command.user_id, cmd.locale);
      await ack(ephemeral(languageChosen(cmd.locale)));
      // Their Home tab follows at once (queued after the choice is known here).
      await announce(ctx, [{ kind: 'home', users: [command.user_id] }]);
      return;
    }
    if (!isAdmin(deps, command.user_id)) return void (await ack(ephemeral(digestAdminsOnly(locale))));
    // Some digests crunch numbers in a worker: answer now, report when done.
    await ack(ephemeral(digestRunning(cmd.job, locale)));
    const outcome = await JOBS[cmd.job].run(ctxFor(deps, command.user_id), jobEnv(deps.config));
    await respond(ephemeral(digestRan(cmd.job, jobSummary(outcome, locale), locale)));
  });
}
