import { announce } from '../../../services/announce.ts';
import { runAnalytics } from '../../../workers/client.ts';
import { serviceSetup } from '../../context.ts';
import { ctxFor, readerFmt, type Deps } from '../../deps.ts';
import { abcWorking, funnelWorking } from '../../ui/messages/answers.ts';
import { parseAbcCommand, parseFunnelCommand } from '../../input/analytics.ts';
import { problemText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { abcTable, funnelMessage } from '../../ui/messages/analytics.ts';
import { abcProfileMessage, profileWorking } from '../../ui/messages/retention.ts';
import { analyticsHelpText, analyticsUsageText } from '../../ui/usage.ts';
import type { Routes } from '../boundary.ts';
import { exportAbc } from '../../../services/export.ts';
import { sendExport } from '../../export-flow.ts';

export function registerAnalyticsCommands(app: Routes, deps: Deps): void {
  const base = (actor: string) => ({ databasePath: deps.config.databasePath, ...(deps.config.databaseUrl ? { databaseUrl: deps.config.databaseUrl } : {}), now: deps.now(), actor, setup: serviceSetup(deps.config) });

  app.command('/abc', async ({ command, ack, respond, client }) => {
    const parsed = parseAbcCommand(command.text);
    const { locale } = await readerFmt(deps, command.user_id);
    if (!parsed.ok) return void (await ack(ephemeral(problemText(parsed.problem, analyticsUsageText('abc', locale), locale))));
    if (parsed.command.kind === 'help') return void (await ack(ephemeral(analyticsHelpText('abc', deps.config.policy.abc.defaultCriterion, locale))));
    if (parsed.command.kind === 'profile') {
      await ack(ephemeral(profileWorking(locale)));
      const profile = await runAnalytics({ task: { kind: 'profile' }, ...base(command.user_id) });
      return void (await respond({ ...ephemeral(abcProfileMessage(profile, locale)), replace_original: true }));
    }
    const by = parsed.command.by ?? deps.config.policy.abc.defaultCriterion;
    await ack(ephemeral(abcWorking(by, locale)));
    // By the card's criterion, /abc is also the recompute (recomputeAndAlert): segments stored, changes alerted.
    const summary =
      by === deps.config.policy.abc.defaultCriterion
        ? (await runAnalytics({ task: { kind: 'recompute' }, ...base(command.user_id) })).summary
        : await runAnalytics({ task: { kind: 'abc', by }, ...base(command.user_id) });
    await announce(ctxFor(deps, command.user_id), [{ kind: 'abc-chart', to: command.user_id, summary }]);
    await respond({ ...ephemeral(abcTable(summary, locale)), replace_original: true });
    // The segments stored by the recompute just run (the policy's criterion), as a clients file.
    if (parsed.command.export) await respond({ ...ephemeral(await sendExport(client, command.user_id, await exportAbc(deps.store), 'abc.csv', 'clients', locale)) });
  });

  app.command('/funnel', async ({ command, ack, respond }) => {
    const parsed = parseFunnelCommand(command.text);
    const { locale } = await readerFmt(deps, command.user_id);
    if (!parsed.ok) return void (await ack(ephemeral(problemText(parsed.problem, analyticsUsageText('funnel', locale), locale))));
    if (parsed.command.kind === 'help') return void (await ack(ephemeral(analyticsHelpText('funnel', deps.config.policy.abc.defaultCriterion, locale))));
    const cmd = parsed.command;
    const owner = cmd.owner?.kind === 'me' ? command.user_id : cmd.owner?.userId;
    await ack(ephemeral(funnelWorking(locale)));
    const result = await runAnalytics({ task: { kind: 'funnel', period: cmd.period ?? deps.config.policy.funnel.defaultPeriod, ...(owner ? { owner } : {}) }, ...base(command.user_id) });
    await announce(ctxFor(deps, command.user_id), [{ kind: 'funnel-chart', to: command.user_id, result }]);
    await respond({ ...ephemeral(funnelMessage(result, locale)), replace_original: true });
  });
}
