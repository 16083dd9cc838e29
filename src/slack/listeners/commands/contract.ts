import { checkClientForContract, complete, contractForEdit, listContracts, showContract, signContract, submitContract } from '../../../services/contracts.ts';
import type { Refusal } from '../../../services/refusals.ts';
import { ctxFor, isAdmin, readerFmt, type Deps } from '../../deps.ts';
import { parseContractCommand } from '../../input/contract.ts';
import { problemText, refusalText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { contractDetail, contractList, contractSignedText, contractSubmitted } from '../../ui/messages/contract.ts';
import { contractModal } from '../../ui/modals/contract.ts';
import { contractHelpText, contractUsageText } from '../../ui/usage.ts';
import { draftOf } from '../views/contract.ts';
import type { Routes } from '../boundary.ts';

export function registerContractCommand(app: Routes, deps: Deps): void {
  app.command('/contract', async ({ command, ack, client }) => {
    const parsed = parseContractCommand(command.text);
    const f = await readerFmt(deps, command.user_id);
    const { locale } = f;
    const refusal = (r: Refusal) => refusalText(r, locale);
    if (!parsed.ok) return void (await ack(ephemeral(problemText(parsed.problem, contractUsageText(parsed.usage, locale), locale))));
    const cmd = parsed.command;
    const ctx = ctxFor(deps, command.user_id);
    switch (cmd.kind) {
      case 'help':
        return void (await ack(ephemeral(contractHelpText(locale))));
      case 'show': {
        const r = await showContract(deps.store, cmd.id);
        return void (await ack(ephemeral(r.ok ? contractDetail(r.value, f) : refusal(r.refusal))));
      }
      case 'list': {
        const { rows, total } = await listContracts(deps.store, cmd.status);
        return void (await ack(ephemeral(contractList(rows, total, cmd.status, locale))));
      }
      case 'sign': {
        const r = await signContract(ctx, cmd.id, isAdmin(deps, command.user_id));
        return void (await ack(ephemeral(r.ok ? contractSignedText(r.value, locale) : refusal(r.refusal))));
      }
      case 'edit': {
        const r = await contractForEdit(ctx, cmd.id, isAdmin(deps, command.user_id));
        if (!r.ok) return void (await ack(ephemeral(refusal(r.refusal))));
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: contractModal({ clientName: r.value.client.name, draft: draftOf(r.value.terms), meta: { contractId: r.value.contract.id, version: r.value.contract.version }, locale }),
        });
        return;
      }
      case 'new': {
        const terms = complete(cmd.draft);
        if (cmd.client && terms) {
          const r = await submitContract(ctx, cmd.client, terms);
          return void (await ack(ephemeral(r.ok ? contractSubmitted(r.value, f, false) : refusal(r.refusal))));
        }
        // Something is missing: check the client first, then let the form ask for the rest.
        let clientName: string | undefined;
        if (cmd.client) {
          const c = await checkClientForContract(deps.store, cmd.client);
          if (!c.ok) return void (await ack(ephemeral(refusal(c.refusal))));
          clientName = c.value.name;
        }
        await ack();
        await client.views.open({ trigger_id: command.trigger_id, view: contractModal({ clientName, draft: cmd.draft, meta: {}, locale }) });
        return;
      }
    }
  });
}
