import { localDate } from '../../../domain/dates.ts';
import type { Locale } from '../../../domain/locales.ts';
import type { Refusal } from '../../../services/refusals.ts';
import { parseClientCommand, type ClientCommand } from '../../input/client.ts';
import { addClient, clientHistory, listClients, loseClient, moveClient, setClient, showClient } from '../../../services/clients.ts';
import { ctxFor, readerFmt, type Deps } from '../../deps.ts';
import type { Fmt } from '../../ui/format.ts';
import { problemText, refusalText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { clientAdded, clientCard, clientHistory as historyView, clientList, clientLost, clientMoved, clientSet, type Message } from '../../ui/messages/client.ts';
import { clientHelpText, clientUsageText } from '../../ui/usage.ts';
import { clientFilterText } from '../../ui/messages/answers.ts';
import type { Routes } from '../boundary.ts';

export function registerClientCommand(app: Routes, deps: Deps): void {
  app.command('/client', async ({ command, ack }) => {
    const parsed = parseClientCommand(command.text);
    const f = await readerFmt(deps, command.user_id);
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
      const r = await showClient(deps.store, cmd.ref, localDate(ctx.now, ctx.tz), ctx.policy);
      return r.ok ? clientCard(r.value, f) : refusal(r.refusal);
    }
    case 'list': {
      const ownerId = cmd.owner?.kind === 'me' ? userId : cmd.owner?.userId;
      const { rows, total } = await listClients(deps.store, { stage: cmd.stage, segment: cmd.segment, ownerId });
      return clientList(rows, total, clientFilterText({ stage: cmd.stage, segment: cmd.segment, ownerId }, f.locale), f.locale);
    }
    case 'move': {
      const r = await moveClient(ctx, cmd.ref, cmd.stage, { ...(cmd.value ? { value: cmd.value } : {}), ...(cmd.close ? { close: cmd.close } : {}) });
      return r.ok ? clientMoved(r.value.view, f, { ...r.value, actor: userId }) : refusal(r.refusal);
    }
    case 'lost': {
      const r = await loseClient(ctx, cmd.readings, cmd.whole);
      return r.ok ? clientLost(r.value.view, f, { ...r.value, actor: userId }) : refusal(r.refusal);
    }
    case 'history': {
      const r = await clientHistory(deps.store, cmd.ref);
      return r.ok ? historyView(r.value.client, r.value.events, r.value.total, f) : refusal(r.refusal);
    }
  }
}
