import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../src/repos/audit.ts';
import { ACTION, BLOCK, parseClientId, parseDealRef, parseMove } from '../../src/slack/ids.ts';
import { clientCard, clientHistory, clientList, clientMoved } from '../../src/slack/ui/messages/client.ts';
import { loyaltyFor, DEFAULT_POLICY } from '../../src/policy.ts';
import { blockKitProblems, buttons, readable } from '../helpers/harness.ts';
import { AT, approvalRow, blockById, clientRow, clientView, dealRow, invoiceRow, snapshot } from '../helpers/rows.ts';

const F = { tz: 'Europe/Sofia' };

/** The card's summary: the section right after the header (and note). */
function summary(m: { blocks: { type: string; text?: unknown }[] }): string[] {
  const s = m.blocks.find((b) => b.type === 'section');
  return ((s?.text as { text: string } | undefined)?.text ?? '').split('\n');
}

describe('client card', () => {
  it('always has a Stage: and a Segment: line, with a dash when there is none', () => {
    const none = summary(clientCard(clientView({ deals: [], stage: null, current: undefined }), F));
    expect(none).toContain('Stage: –');
    expect(none).toContain('Segment: –');
    const some = summary(clientCard(clientView({ client: clientRow({ segment: 'A' }), deals: [dealRow({ stage: 'proposal' })], stage: 'proposal' }), F));
    expect(some.slice(0, 2)).toEqual(['Stage: proposal', 'Segment: A']);
  });

  it('says the segment’s loyalty terms, and C terms until a segment is set', () => {
    expect(summary(clientCard(clientView(), F)).join('\n')).toMatch(/Terms \(no segment yet: C terms\): discount up to 0 %.*\*prepayment required\*/);
    const a = clientView({ client: clientRow({ segment: 'A' }), loyalty: loyaltyFor(DEFAULT_POLICY, 'A') });
    expect(summary(clientCard(a, F)).join('\n')).toContain('Terms (A): discount up to 10 % · net 60 days · credit limit €200,000.00 · no prepayment');
  });

  it('shows the credit limit in the base currency’s own minor units', () => {
    // The card and the loyalty check (domain/loyalty.ts) both scale the limit by the currency's
    // digits (money.ts majorToMinor): ¥20,000 is ¥20,000, not ¥2,000,000.
    const text = summary(clientCard(clientView({ baseCurrency: 'JPY' }), F)).join('\n');
    expect(text).toContain('credit limit ¥20,000');
    expect(text).not.toContain('¥2,000,000');
    const kwd = clientView({ baseCurrency: 'KWD', loyalty: { ...loyaltyFor(DEFAULT_POLICY, 'C'), creditLimit: 1234.5 } });
    expect(summary(clientCard(kwd, F)).join('\n')).toContain('credit limit KWD\u00a01,234.500');
  });

  it('advances to the next manual stage with a button whose value names the client, deal and both stages', () => {
    const m = clientCard(clientView({ deals: [dealRow({ id: 11, stage: 'lead' })] }), F);
    const actions = blockById(m.blocks, BLOCK.cardActions);
    expect(actions.type).toBe('actions');
    const advance = buttons(m).find((b) => b.action_id === ACTION.clientMove)!;
    expect(advance.text).toBe('Advance to qualified');
    expect(parseMove(advance.value)).toEqual({ clientId: 7, dealId: 11, from: 'lead', to: 'qualified' });
    expect(parseDealRef(buttons(m).find((b) => b.action_id === ACTION.clientLost)!.value)).toEqual({ clientId: 7, dealId: 11 });
    expect(parseClientId(buttons(m).find((b) => b.action_id === ACTION.clientHistory)!.value)).toBe(7);
  });

  it('offers no advance into a stage the paperwork drives, and no Mark lost after the contract', () => {
    const atProposal = buttons(clientCard(clientView({ deals: [dealRow({ stage: 'proposal' })] }), F)).map((b) => b.action_id);
    expect(atProposal).toEqual([ACTION.clientNewContract, ACTION.clientLost, ACTION.clientHistory]);
    const inDelivery = buttons(clientCard(clientView({ deals: [dealRow({ stage: 'delivery' })] }), F)).map((b) => b.action_id);
    expect(inDelivery).toEqual([ACTION.clientHistory]);
    const closed = buttons(clientCard(clientView({ deals: [dealRow({ stage: 'won' })] }), F)).map((b) => b.action_id);
    expect(closed).toEqual([ACTION.clientHistory]);
  });

  it('escapes what people typed so it cannot become markup or a mention', () => {
    const m = clientCard(clientView({ client: clientRow({ contact: '<!channel> & <@U0BOSS>' }), deals: [dealRow({ title: '<b>x</b>', stage: 'lost', lostReason: '<!here>' })], stage: 'lost' }), F);
    const text = readable(m);
    expect(text).toContain('Contact: &lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
    expect(text).toContain('&lt;!here&gt;');
    expect(text).not.toMatch(/<!channel>|<!here>|<@U0BOSS>/);
  });

  it('lists contracts with both approvals, and overdue invoices with the total owed', () => {
    const contract = snapshot({ approvals: [approvalRow({ fn: 'finance' }), approvalRow({ fn: 'legal', decision: 'approved', decidedBy: 'U0LEGAL', decidedAt: AT })] });
    const v = clientView({ contracts: [contract], openInvoices: [invoiceRow({ amountMinor: 100_000, paidMinor: 25_000 }), invoiceRow({ id: 6, number: 'INV-000006', dueDate: '2026-12-31' })] });
    const text = readable(clientCard(v, F));
    expect(text).toMatch(/#42 Steel beams · €12,500.00 · v1/);
    expect(text).toMatch(/Legal: :white_check_mark: approved by <@U0LEGAL>.* · Finance: :hourglass_flowing_sand: waiting/);
    expect(text).toContain('*Open invoices* (2) · :warning: *Overdue:* €750.00');
    expect(text).toMatch(/#5 INV-000005 .* overdue · paid €250.00, owes €750.00 · \*24 days late\*/);
  });

  it('puts the move in a note above the card', () => {
    const v = clientView({ deals: [dealRow({ stage: 'qualified' })], stage: 'qualified' });
    const m = clientMoved(v, F, { from: 'lead', to: 'qualified', newDeal: false, actor: 'U0SELLER2', terms: { value: { minor: 500_000, currency: 'EUR' } } });
    expect(m.blocks[1]).toMatchObject({ type: 'context', elements: [{ text: ':arrow_forward: <@U0SELLER2> moved *Acme Ltd* from *lead* to *qualified* (value €5,000.00).' }] });
  });

  it('stays within Block Kit’s limits with many deals and long names', () => {
    const deals = Array.from({ length: 400 }, (_, i) => dealRow({ id: i + 1, title: 'x'.repeat(200), stage: 'lost', lostReason: 'y'.repeat(500) }));
    expect(blockKitProblems(clientCard(clientView({ client: clientRow({ name: 'N'.repeat(200) }), deals, stage: 'lost' }), F))).toEqual([]);
  });
});

describe('client list and history', () => {
  it('lists each client with its stage and segment, and says how to narrow a long list', () => {
    const m = clientList([{ id: 7, name: 'Acme Ltd', ownerId: 'U0SELLER', segment: 'B', stage: 'proposal' }], 120, '');
    expect(readable(m)).toContain('• *Acme Ltd* #7 — proposal · segment B · <@U0SELLER>');
    expect(readable(m)).toContain('…and 119 more');
    expect(clientList([], 0, 'stage:won').text).toBe('No clients match stage:won.');
  });

  it('tells each change in words, with its time in the workspace’s zone', () => {
    const row = (over: Partial<AuditRow>): AuditRow => ({ id: 1, actor: 'U0SELLER', entity: 'deal', entityId: 11, clientId: 7, action: 'stage-changed', before: null, after: null, at: AT, ...over }) as AuditRow;
    const m = clientHistory({ id: 7, name: 'Acme Ltd' }, [
      row({ action: 'stage-changed', before: { stage: 'lead' }, after: { stage: 'qualified', valueMinor: 500_000, currency: 'EUR' } }),
      row({ action: 'lost', before: { stage: 'qualified' }, after: { stage: 'lost', reason: 'price' } }),
    ], 5, F);
    const text = readable(m);
    expect(text).toContain('2026-11-24 10:00 · <@U0SELLER> moved deal #11 from *lead* to *qualified* · €5,000.00');
    expect(text).toContain('marked deal #11 lost at *qualified*: _price_');
    expect(text).toContain('_…the latest 2 of 5 changes are shown._');
  });
});
