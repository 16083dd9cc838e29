import { localDate } from '../../../domain/dates.ts';
import { showChecklist } from '../../../services/delivery.ts';
import { addInvoice, invoiceInterest, listInvoices, payInvoice, promiseToPay } from '../../../services/invoices.ts';
import { ctxFor, type Deps } from '../../deps.ts';
import { parseDeliveryCommand, parseInvoiceCommand, type InvoiceCommand } from '../../input/invoice.ts';
import { problemText, refusalText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import type { Message } from '../../ui/messages/client.ts';
import { checklistMessage, interestMessage, invoiceAdded, invoiceList, overdueByBucket, paymentRecorded } from '../../ui/messages/invoice.ts';
import { deliveryUsageText, invoiceHelpText, invoiceUsageText } from '../../ui/usage.ts';
import type { Routes } from '../boundary.ts';
import { exportInvoiceList } from '../../../services/export.ts';
import { sendExport } from '../../export-flow.ts';
import { exportPreparing } from '../../ui/messages/import.ts';

export function registerInvoiceCommands(app: Routes, deps: Deps): void {
  app.command('/invoice', async ({ command, ack, client, respond }) => {
    const parsed = parseInvoiceCommand(command.text);
    if (parsed.ok && parsed.command.kind === 'list' && parsed.command.export) {
      const cmd = parsed.command;
      await ack(ephemeral(exportPreparing('invoices.csv')));
      const r = await exportInvoiceList(deps.store, { overdue: cmd.overdue, ...(cmd.client ? { client: cmd.client } : {}) }, deps.now(), deps.fmt.tz);
      return void (await respond({ ...ephemeral(r.ok ? await sendExport(client, command.user_id, r.value, 'invoices.csv', cmd.overdue ? 'overdue invoices' : 'invoices') : refusalText(r.refusal)), replace_original: true }));
    }
    await ack(ephemeral(parsed.ok ? await run(parsed.command, deps, command.user_id) : problemText(parsed.problem, invoiceUsageText(parsed.usage))));
  });

  app.command('/delivery', async ({ command, ack }) => {
    const parsed = parseDeliveryCommand(command.text);
    if (!parsed.ok) return void (await ack(ephemeral(problemText(parsed.problem, deliveryUsageText()))));
    if (parsed.command.kind === 'help') return void (await ack(ephemeral(`*dealdesk — delivery*\n${deliveryUsageText()}\nShows a signed contract's checklist: who answers for each step, by when, with a *Done* button for the responsible service.`)));
    const r = await showChecklist(deps.store, parsed.command.contractId);
    await ack(ephemeral(r.ok ? checklistMessage(r.value.snap, r.value.tasks, localDate(deps.now(), deps.fmt.tz)) : refusalText(r.refusal)));
  });
}

async function run(cmd: InvoiceCommand, deps: Deps, userId: string): Promise<Message | string> {
  const ctx = ctxFor(deps, userId);
  const today = localDate(ctx.now, ctx.tz);
  switch (cmd.kind) {
    case 'help':
      return invoiceHelpText();
    case 'add': {
      const r = await addInvoice(ctx, cmd);
      return r.ok ? invoiceAdded(r.value.invoice, today, r.value.dealMoved) : refusalText(r.refusal);
    }
    case 'list': {
      const r = await listInvoices(deps.store, { overdue: cmd.overdue, client: cmd.client }, ctx.now, ctx.tz);
      if (!r.ok) return refusalText(r.refusal);
      return cmd.overdue ? overdueByBucket(r.value.rows, today, r.value.clientName ? `Overdue invoices of ${r.value.clientName}` : 'Overdue invoices') : invoiceList(r.value.rows, today, r.value.clientName);
    }
    case 'pay': {
      const r = await payInvoice(ctx, { invoiceId: cmd.id, amount: cmd.amount, date: cmd.date, reference: cmd.reference });
      return r.ok ? paymentRecorded(r.value.invoice, r.value.amountMinor, r.value.paidInFull, r.value.dealWon) : refusalText(r.refusal);
    }
    case 'promise': {
      const r = await promiseToPay(ctx, cmd.id, cmd.date);
      return r.ok ? `:handshake: Recorded *${r.value.clientName}*'s promise to pay invoice #${r.value.id} (${r.value.number}) by ${cmd.date}. The dunning ladder pauses until then.` : refusalText(r.refusal);
    }
    case 'interest': {
      const r = await invoiceInterest(ctx, cmd.id, cmd.date);
      return r.ok ? interestMessage(r.value.invoice, r.value.asOf, r.value.statement) : refusalText(r.refusal);
    }
  }
}
