import { localDate } from '../../../domain/dates.ts';
import type { Locale } from '../../../domain/locales.ts';
import type { Refusal } from '../../../services/refusals.ts';
import { parseClientCommand, type ClientCommand } from '../../input/client.ts';
import { addClient, clientHistory, LIST_LIMIT, listClients, loseClient, moveClient, reviewClient, setClient, showClient } from '../../../services/clients.ts';
import { listByFit } from '../../../services/retention.ts';
import { ctxFor, readerFmt, type Deps } from '../../deps.ts';
import type { Fmt } from '../../ui/format.ts';
import { problemText, refusalText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { clientAdded, clientCard, clientHistory as historyView, clientList, clientLost, clientMoved, clientReviewed, clientSet, type Message } from '../../ui/messages/client.ts';
import { clientHelpText, clientUsageText } from '../../ui/usage.ts';
import { clientFilterText } from '../../ui/messages/answers.ts';
import type { Routes } from '../boundary.ts';
import { exportBooks } from '../../../services/export.ts';
import { sendExport } from '../../export-flow.ts';
import { exportPreparing } from '../../ui/messages/import.ts';

export function registerClientCommand(app: Routes, deps: Deps): void {
  app.command('/client', async ({ command, ack, client, respond }) => {
    const parsed = parseClientCommand(command.text);
    const f = await readerFmt(deps, command.user_id);
    if (parsed.ok && parsed.command.kind === 'list' && parsed.command.export) {
      const cmd = parsed.command;
      await ack(ephemeral(exportPreparing('clients.csv', f.locale)));
      const ownerId = cmd.owner?.kind === 'me' ? command.user_id : cmd.owner?.userId;
      const file = await exportBooks(deps.store, 'clients', { clients: { ...(cmd.stage ? { stage: cmd.stage } : {}), ...(cmd.segment ? { segment: cmd.segment } : {}), ...(ownerId ? { ownerId } : {}) } });
      return void (await respond({ ...ephemeral(await sendExport(client, command.user_id, file, 'clients.csv', 'clients', f.locale)), replace_original: true }));
    }
    await ack(ephemeral(parsed.ok ? await run(parsed.command, deps, command.user_id, f) : problemText(parsed.problem, clientUsageText(parsed.usage, f.locale), f.locale)));
  });
}

async function run(cmd: ClientCommand, deps: Deps, userId: string, f: Fmt & { locale: Locale }): Promise<Message | string> {
  const ctx = ctxFor(deps, userId);
  const refusal = (r: Refusal) => refusalText(r, f.locale);
  switch (cmd.kind) {
    case 'help':
      return clientHelpText(f.locale);
    case 'add': {
      const r = await addClient(ctx, cmd);
      return r.ok ? clientAdded(r.value, f) : refusal(r.refusal);
    }
    case 'set': {
      const { owner, ...rest } = cmd.changes;
      const r = await setClient(ctx, cmd.ref, { ...(owner ? { ownerId: owner.kind === 'me' ? userId : owner.userId } : {}), ...rest });
      return r.ok ? clientSet(r.value.view, f, r.value) : refusal(r.refusal);
    }
    case 'show': {
      const r = await showClient(deps.store, cmd.ref, localDate(ctx.now, ctx.tz), ctx.policy, ctx.tz);
      return r.ok ? clientCard(r.value, f) : refusal(r.refusal);
    }
    case 'list': {
      const ownerId = cmd.owner?.kind === 'me' ? userId : cmd.owner?.userId;
      const filterBy = { stage: cmd.stage, segment: cmd.segment, ownerId };
      const { rows, total } = cmd.sort === 'fit' ? await listByFit(deps.store, filterBy, LIST_LIMIT) : await listClients(deps.store, filterBy);
      const filter = clientFilterText(filterBy, f.locale) + (cmd.sort ? ` sort:${cmd.sort}` : '');
      return clientList(rows, total, filter.trim(), f.locale);
    }
    case 'move': {
      const r = await moveClient(ctx, cmd.ref, cmd.stage, { ...(cmd.value ? { value: cmd.value } : {}), ...(cmd.close ? { close: cmd.close } : {}) });
      return r.ok ? clientMoved(r.value.view, f, { ...r.value, actor: userId }) : refusal(r.refusal);
    }
    case 'lost': {
      const r = await loseClient(ctx, cmd.readings, cmd.whole);
      return r.ok ? clientLost(r.value.view, f, { ...r.value, actor: userId }) : refusal(r.refusal);
    }
    case 'review': {
      const r = await reviewClient(ctx, cmd.readings, cmd.whole);
      return r.ok ? clientReviewed(r.value.view, deps.fmt, { note: r.value.review.note, by: userId }) : refusalText(r.refusal);
    }
    case 'history': {
      const r = await clientHistory(deps.store, cmd.ref);
      return r.ok ? historyView(r.value.client, r.value.events, r.value.total, f) : refusal(r.refusal);
    }
  }
}
