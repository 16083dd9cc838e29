import { checkClientForContract, complete, contractForEdit, listContracts, showContract, signContract, submitContract } from '../../../services/contracts.ts';
import { ctxFor, isAdmin, type Deps } from '../../deps.ts';
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
    if (!parsed.ok) return void (await ack(ephemeral(problemText(parsed.problem, contractUsageText(parsed.usage)))));
    const cmd = parsed.command;
    const ctx = ctxFor(deps, command.user_id);
    switch (cmd.kind) {
      case 'help':
        return void (await ack(ephemeral(contractHelpText())));
      case 'show': {
        const r = await showContract(deps.store, cmd.id);
        return void (await ack(ephemeral(r.ok ? contractDetail(r.value, deps.fmt) : refusalText(r.refusal))));
      }
      case 'list': {
        const { rows, total } = await listContracts(deps.store, cmd.status);
        return void (await ack(ephemeral(contractList(rows, total, cmd.status))));
      }
      case 'sign': {
        const r = await signContract(ctx, cmd.id, isAdmin(deps, command.user_id));
        return void (await ack(ephemeral(r.ok ? contractSignedText(r.value) : refusalText(r.refusal))));
      }
      case 'edit': {
        const r = await contractForEdit(ctx, cmd.id, isAdmin(deps, command.user_id));
        if (!r.ok) return void (await ack(ephemeral(refusalText(r.refusal))));
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: contractModal({ clientName: r.value.client.name, draft: draftOf(r.value.terms), meta: { contractId: r.value.contract.id, version: r.value.contract.version } }),
        });
        return;
      }
      case 'new': {
        const terms = complete(cmd.draft);
        if (cmd.client && terms) {
          const r = await submitContract(ctx, cmd.client, terms);
          return void (await ack(ephemeral(r.ok ? contractSubmitted(r.value, deps.fmt, false) : refusalText(r.refusal))));
        }
        // Something is missing: check the client first, then let the form ask for the rest.
        let clientName: string | undefined;
        if (cmd.client) {
          const c = await checkClientForContract(deps.store, cmd.client);
          if (!c.ok) return void (await ack(ephemeral(refusalText(c.refusal))));
          clientName = c.value.name;
        }
        await ack();
        await client.views.open({ trigger_id: command.trigger_id, view: contractModal({ clientName, draft: cmd.draft, meta: {} }) });
        return;
      }
    }
  });
}
