import type { Refusal } from '../services/refusals.ts';
import { MANUAL_STAGES } from '../domain/stages.ts';
import type { NameRefusal } from '../domain/names.ts';
import type { IdentityRefusal } from '../domain/eik.ts';
import type { ContractStatus, Decision, DecisionRefusal } from '../domain/contracts.ts';
import { esc } from './ui/format.ts';
import { fieldValues } from './ui/client-fields.ts';
import { amountProblem } from './input/money.ts';
import { formatMoney } from '../domain/money.ts';
import type { Service } from '../domain/delivery.ts';

/** Who a delivery task belongs to, as a sentence names them. */
const WHO_TICKS: Record<Service, string> = { sales: 'sales', finance: 'finance', legal: 'legal', service_unit: 'the service unit' };
import { clip } from './ui/format.ts';
import { interestProblemText } from './ui/messages/invoice.ts';

/**
 * The one place that turns refusals and errors into words for people.
 * Every answer says what was wrong and how to write it right.
 */
export function refusalText(r: Refusal): string {
  switch (r.kind) {
    case 'unknown-client': {
      const hint = r.suggestions.length > 0 ? ` Did you mean ${r.suggestions.map((s) => `*${esc(s)}*`).join(', ')}?` : ' See `/client list`, or add it with `/client add <name>`.';
      if (r.tried && r.tried.length > 1) {
        const each = r.tried.map((t) => `*${esc(clip(t.name, 80))}* with \`${esc(clip(t.rest, 40))}\``);
        return `I couldn't find a client for any way of reading that: ${each.slice(0, -1).join(', ')} or ${each[each.length - 1]}.${hint}`;
      }
      return r.ref === '' ? `I couldn't find that client.${hint}` : `I couldn't find a client called *${esc(clip(r.ref, 80))}*.${hint}`;
    }
    case 'ambiguous-client': {
      const each = r.choices.map((c) => `*${esc(clip(c.name, 80))}* (#${c.id}) with \`${esc(clip(c.rest, 40))}\``);
      return `That reads ${r.choices.length === 2 ? 'two' : r.choices.length} ways: ${each.slice(0, -1).join(', ')} or ${each[each.length - 1]}. Nothing was recorded; name the client by its #id, e.g. \`#${r.choices[0]!.id} ${esc(clip(r.choices[0]!.rest, 40))}\`.`;
    }
    case 'name-taken':
      return `There is already a client called *${esc(r.name)}* (#${r.id}); names are unique regardless of case. Open it with \`/client #${r.id}\`.`;
    case 'eik-taken':
      return `ЕИК ${esc(r.eik)} already belongs to *${esc(r.name)}* (#${r.id}); an ЕИК belongs to one client only. Open it with \`/client #${r.id}\`. Nothing changed.`;
    case 'nothing-to-change':
      return `Nothing to change: *${esc(r.client)}* (#${r.id}) already has ${fieldValues(r.fields)}.`;
    case 'bad-name':
      return nameText(r.refusal);
    case 'move':
      switch (r.refusal.kind) {
        case 'same-stage':
          return `*${esc(r.client)}* is already at *${r.refusal.stage}*.`;
        case 'automatic-stage':
          return r.refusal.to === 'contract'
            ? `A deal enters *contract* when its contract is drafted: use \`/contract new ${esc(clip(r.client, 60))}\`.`
            : `A deal can't be moved to *${r.refusal.to}* by hand: it moves there when the contract is signed (delivery), its invoice is issued (payment) or paid in full (won). You can move to ${MANUAL_STAGES.join(', ')}.`;
        case 'locked-stage':
          return `*${esc(r.client)}* is at *${r.refusal.from}*: from here the stage follows its contract, delivery and invoices, not a hand move.`;
        case 'use-lost-command':
          return `To mark *${esc(r.client)}* lost, give a reason: \`/client lost ${esc(clip(r.client, 60))} <reason>\`.`;
      }
      break;
    case 'lost':
      switch (r.refusal.kind) {
        case 'no-open-deal':
          return `*${esc(r.client)}* has no open deal to mark lost.`;
        case 'too-late':
          return `*${esc(r.client)}* is at *${r.refusal.from}*: a deal can be marked lost only before delivery.`;
        case 'reason-required':
          return `Say why it was lost after the name: \`/client lost ${esc(clip(r.client, 60))} <reason>\`. The reason is kept with the deal.`;
      }
      break;
    case 'stale':
      return `Nothing changed: *${esc(r.client)}* was changed meanwhile and is now at *${r.now ?? '–'}*. Open the card again with \`/client ${esc(clip(r.client, 60))}\`.`;
    case 'bad-terms':
      return Object.values(r.errors).join(' ');
    case 'contract-exists':
      return `*${esc(r.client)}* already has contract #${r.contractId} (${statusText(r.status)}). Change it with \`/contract edit #${r.contractId}\`, or see it with \`/contract #${r.contractId}\`.`;
    case 'unknown-contract':
      return `There is no contract #${r.id}. See \`/contract list\`.`;
    case 'not-editable':
      return `Contract #${r.id} is ${statusText(r.status)}, so it can't be changed any more${r.status === 'rejected' ? ': draft a new one with `/contract new <client>`' : ''}.`;
    case 'not-your-contract':
      return `Only <@${r.submittedBy}> (who submitted contract #${r.id}), the client's owner or an admin can ${r.to ?? 'change'} it.${r.to === 'sign' ? ' Nothing changed.' : ''}`;
    case 'version-moved':
      return `Nothing changed: contract #${r.id} is at version ${r.version} now, made while your form was open. Open it again with \`/contract edit #${r.id}\`.`;
    case 'decision':
      return decisionText(r.contractId, r.refusal);
    case 'stale-contract':
      return `Nothing changed: contract #${r.id} was changed meanwhile. See \`/contract #${r.id}\`.`;
    case 'not-signable':
      return r.status === 'signed'
        ? `Contract #${r.id} is already signed. Nothing changed.`
        : `Contract #${r.id} is ${statusText(r.status)}: it can be signed only once legal and finance have both approved${r.missing.length > 0 && r.status === 'pending' ? ` (waiting for ${r.missing.join(' and ')})` : ''}.`;
    case 'no-checklist':
      return `Contract #${r.id} is ${statusText(r.status)}: its delivery checklist starts when it is signed (\`/contract sign #${r.id}\`).`;
    case 'unknown-task':
      return 'That delivery task no longer exists. Nothing changed.';
    case 'task':
      return r.refusal.kind === 'already-done'
        ? `*${esc(r.title)}* was already ticked by <@${r.refusal.by}>. Nothing changed.`
        : `Only ${WHO_TICKS[r.refusal.service]} can tick *${esc(r.title)}*: it is theirs on the checklist. Nothing changed.`;
    case 'contract-of-other-client':
      return `Contract #${r.id} belongs to *${esc(r.client)}*, not this client.`;
    case 'contract-not-signed':
      return `Contract #${r.id} is ${statusText(r.status)}: invoice it once it is signed.`;
    case 'unknown-invoice':
      return `There is no invoice #${r.id}. See \`/invoice list\`.`;
    case 'invoice-number-taken':
      return `Invoice number ${esc(r.number)} is already used by invoice #${r.id}; numbers are unique. See it with \`/invoice list\`. Nothing recorded.`;
    case 'issued-in-future':
      return `The issue date ${r.date} is after today (${r.today}): record an invoice once it is issued. Nothing recorded.`;
    case 'currency-replaced': {
      const dotted = (d: string) => d.split('-').reverse().join('.');
      const when = r.document === 'invoice' ? `issued ${dotted(r.dated)}` : `dated ${dotted(r.dated)}`;
      const since = r.currency === 'BGN' && r.use === 'EUR' ? `Bulgaria has used the euro since ${dotted(r.since)}` : `${r.use} has replaced ${r.currency} since ${dotted(r.since)}`;
      const older = r.document === 'invoice' ? ` An invoice issued before ${dotted(r.since)} may still be recorded in ${r.currency} with \`issued:<date>\`.` : '';
      return `${since}: a new ${r.document} ${when} cannot be in ${r.currency}; write the amount in ${r.use}.${older} Nothing recorded.`;
    }
    case 'interest':
      return interestProblemText(r.number, r.problem);
    case 'bad-amount':
      return amountProblem(r.text, r.currency, r.refusal);
    case 'payment-in-future':
      return `The payment date ${r.date} is after today (${r.today}): record a payment once it has arrived.`;
    case 'payment':
      return r.refusal.kind === 'already-paid'
        ? `Invoice ${r.invoice} is already paid in full. Nothing recorded.`
        : `That is more than invoice ${r.invoice} owes: ${formatMoney(r.refusal.owedMinor, r.currency)} is owed. Nothing recorded.`;
    case 'promise':
      switch (r.refusal.kind) {
        case 'already-paid':
          return `Invoice ${r.invoice} is already paid in full.`;
        case 'not-in-future':
          return `A promise to pay must be today (${r.refusal.today}) or later.`;
        case 'too-far':
          return `A promise to pay may be at most ${r.refusal.maxDays} days ahead (policy).`;
      }
      break;
    case 'invoice-paid':
      return `Invoice ${r.invoice} is paid in full; there is nothing left to chase.`;
    case 'not-owner':
      return `Only the client's owner <@${r.ownerId}>, their manager, finance or an admin can log dunning on ${r.invoice}.`;
    case 'unknown-claim':
      return `There is no claim #${r.id}.`;
    case 'not-legal':
      return 'Only legal approvers can decide claims. Nothing changed.';
    case 'claim-decided':
      return `Claim #${r.id} was already decided (${r.status}) by <@${r.by}>. Nothing changed.`;
  }
}

export function statusText(s: ContractStatus): string {
  return s === 'changes_requested' ? 'waiting for changes' : s === 'pending' ? 'waiting for approval' : s;
}

const DECISION_WORD: Record<Decision, string> = { approved: 'approved', changes_requested: 'asked for changes to', rejected: 'rejected' };

export function decisionText(contractId: number, r: DecisionRefusal): string {
  switch (r.kind) {
    case 'not-approver':
      return `Only ${r.fn} approvers can decide this. Nothing changed.`;
    case 'own-contract':
      return `You submitted contract #${contractId}, so another approver has to decide it. Nothing changed.`;
    case 'stale-version':
      return `This is version ${r.clicked} of contract #${contractId}; version ${r.current} replaced it. Decide on the latest version's message. Nothing changed.`;
    case 'already-decided':
      return `${r.byActor ? 'You' : `<@${r.by}>`} already ${DECISION_WORD[r.decision]} contract #${contractId} for ${r.fn}. Nothing changed.`;
    case 'not-pending':
      return `Contract #${contractId} is ${statusText(r.status)}; there is nothing to decide. Nothing changed.`;
    case 'reason-required':
      return 'Say why, so sales knows what to change.';
    case 'exceptions-unconfirmed':
      return `This contract goes beyond the client's loyalty policy (${r.missing.join(', ')}): confirm each exception to approve it, or request changes. Nothing changed.`;
  }
}

/** Why `eik:<typed>` or `vat:<typed>` was refused (SPEC §5), naming the field as written. */
export function identityText(r: IdentityRefusal, typed: string): string {
  const given = `\`${r.field}:${esc(clip(typed, 30))}\``;
  if (r.field === 'eik') {
    const what = `${given} is not a valid ЕИК`;
    switch (r.kind) {
      case 'empty':
        return '`eik:` is empty: write the company\'s ЕИК, 9 or 13 digits, e.g. `eik:175074752`.';
      case 'not-digits':
        return `${what}: an ЕИК is digits only (9 or 13 digits).`;
      case 'bad-eik-length':
        return `${what}: it has ${r.length} digits; an ЕИК has 9 or 13.`;
      case 'bad-eik-checksum':
        return `${what}: its check digit does not match (9 or 13 digits).`;
    }
  }
  const what = `${given} is not a valid VAT number`;
  switch (r.kind) {
    case 'empty':
      return '`vat:` is empty: write the VAT number, `BG` and 9 or 10 digits, e.g. `vat:BG175074752`.';
    case 'bad-vat-prefix':
      return `${what}: a Bulgarian VAT number starts with \`BG\`, then 9 or 10 digits.`;
    case 'not-digits':
      return `${what}: after \`BG\` it is digits only (9 or 10 digits).`;
    case 'bad-vat-length':
      return `${what}: it has ${r.length} digits after \`BG\`; it takes 9 (a company's ЕИК) or 10 (a person's ЕГН).`;
    case 'bad-vat-checksum':
      return `${what}: its check digit does not match (\`BG\` and 9 or 10 digits).`;
    case 'bad-egn-date':
      return `${what}: its 10 digits are no ЕГН, since they do not start with a date of birth.`;
    default:
      return `${what}: write \`BG\` and 9 or 10 digits.`;
  }
}

function nameText(r: NameRefusal): string {
  switch (r.kind) {
    case 'empty':
      return 'The client needs a name.';
    case 'too-long':
      return `That name is ${r.length} characters long; a client name takes at most ${r.max}.`;
    case 'forbidden-character':
      return `A client name can't contain \`${esc(r.char === '`' ? "'`'" : r.char)}\` (Slack formatting). Write the name as plain text.`;
    case 'starts-with-hash':
      return 'A client name can\'t start with `#`: `#N` means the client with id N.';
  }
}

export function problemText(problem: string, usage: string): string {
  return `:warning: ${problem}\n${usage}`;
}

/** For a failure we did not foresee: short, honest, and without internals. */
/** An unexpected error, with the reference its log line carries. */
export function unexpectedAfterAckText(ref: string): string {
  return `:warning: Something went wrong on our side (reference \`${ref}\`) after your request was taken; part of it may have been recorded, so check the card or the list before trying again. If it keeps happening, give your dealdesk admin that reference.`;
}

export function unexpectedText(ref: string): string {
  return `:warning: Something went wrong on our side (reference \`${ref}\`). Try again in a moment; if it keeps happening, give your dealdesk admin that reference.`;
}


