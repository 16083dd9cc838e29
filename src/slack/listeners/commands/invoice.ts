import { localDate } from '../../../domain/dates.ts';
import type { Locale } from '../../../domain/locales.ts';
import { showChecklist } from '../../../services/delivery.ts';
import { addInvoice, invoiceInterest, listInvoices, payInvoice, promiseToPay } from '../../../services/invoices.ts';
import type { Refusal } from '../../../services/refusals.ts';
import { ctxFor, readerFmt, type Deps } from '../../deps.ts';
import { parseDeliveryCommand, parseInvoiceCommand, type InvoiceCommand } from '../../input/invoice.ts';
import { problemText, refusalText } from '../../reply.ts';
import { ephemeral } from '../../respond.ts';
import { promiseRecorded } from '../../ui/messages/answers.ts';
import type { Message } from '../../ui/messages/client.ts';
import { checklistMessage, interestMessage, invoiceAdded, invoiceList, overdueByBucket, paymentRecorded } from '../../ui/messages/invoice.ts';
import { deliveryHelpText, deliveryUsageText, invoiceHelpText, invoiceUsageText } from '../../ui/usage.ts';
import type { Routes } from '../boundary.ts';
import { exportInvoiceList } from '../../../services/export.ts';
import { sendExport } from '../../export-flow.ts';
import { exportPreparing, exportQuoteHint } from '../../ui/messages/import.ts';

export function registerInvoiceCommands(app: Routes, deps: Deps): void {
  app.command('/invoice', async ({ command, ack, client, respond }) => {
    const parsed = parseInvoiceCommand(command.text);
    const { locale } = await readerFmt(deps, command.user_id);
    if (parsed.ok && parsed.command.kind === 'list' && parsed.command.export) {
      const cmd = parsed.command;
      await ack(ephemeral(exportPreparing('invoices.csv', locale)));
      const r = await exportInvoiceList(deps.store, { overdue: cmd.overdue, ...(cmd.client ? { client: cmd.client } : {}) }, deps.now(), deps.fmt.tz);
      // No such client: perhaps `export` was the last word of its name, not the export.
      const hint = !r.ok && r.refusal.kind === 'unknown-client' && cmd.nameWithExport ? exportQuoteHint(cmd.nameWithExport, locale) : '';
      return void (await respond({ ...ephemeral(r.ok ? await sendExport(client, command.user_id, r.value, 'invoices.csv', cmd.overdue ? 'overdueInvoices' : 'invoices', locale) : refusalText(r.refusal, locale) + hint), replace_original: true }));
    }
    await ack(ephemeral(parsed.ok ? await run(parsed.command, deps, command.user_id, locale) : problemText(parsed.problem, invoiceUsageText(parsed.usage, locale), locale)));
  });

  app.command('/delivery', async ({ command, ack }) => {
    const parsed = parseDeliveryCommand(command.text);
    const { locale } = await readerFmt(deps, command.user_id);
    if (!parsed.ok) return void (await ack(ephemeral(problemText(parsed.problem, deliveryUsageText(locale), locale))));
    if (parsed.command.kind === 'help') return void (await ack(ephemeral(deliveryHelpText(locale))));
    const r = await showChecklist(deps.store, parsed.command.contractId);
    await ack(ephemeral(r.ok ? checklistMessage(r.value.snap, r.value.tasks, localDate(deps.now(), deps.fmt.tz), locale) : refusalText(r.refusal, locale)));
  });
}

async function run(cmd: InvoiceCommand, deps: Deps, userId: string, locale: Locale): Promise<Message | string> {
  const ctx = ctxFor(deps, userId);
  const today = localDate(ctx.now, ctx.tz);
  const refusal = (r: Refusal) => refusalText(r, locale);
  switch (cmd.kind) {
    case 'help':
      return invoiceHelpText(locale);
    case 'add': {
      const r = await addInvoice(ctx, cmd);
      return r.ok ? invoiceAdded(r.value.invoice, today, r.value.dealMoved, locale) : refusal(r.refusal);
    }
    case 'list': {
      const r = await listInvoices(deps.store, { overdue: cmd.overdue, client: cmd.client }, ctx.now, ctx.tz);
      if (!r.ok) return refusal(r.refusal);
      const clientName = r.value.clientName;
      return cmd.overdue ? overdueByBucket(r.value.rows, today, clientName ? { kind: 'client', name: clientName } : { kind: 'all' }, locale) : invoiceList(r.value.rows, today, clientName, locale);
    }
    case 'pay': {
      const r = await payInvoice(ctx, { invoiceId: cmd.id, amount: cmd.amount, currency: cmd.currency, date: cmd.date, reference: cmd.reference });
      return r.ok ? paymentRecorded(r.value.invoice, r.value.amountMinor, r.value.paidInFull, r.value.dealWon, locale, r.value.paid, ctx.policy.currency.changeover) : refusal(r.refusal);
    }
    case 'promise': {
      const r = await promiseToPay(ctx, cmd.id, cmd.date);
      return r.ok ? promiseRecorded(r.value, cmd.date, locale) : refusal(r.refusal);
    }
    case 'interest': {
      const r = await invoiceInterest(ctx, cmd.id, cmd.date);
      return r.ok ? interestMessage(r.value.invoice, r.value.asOf, r.value.statement, locale) : refusal(r.refusal);
    }
  }
}
