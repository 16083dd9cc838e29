import { describe, expect, it } from 'vitest';
import type { HomeData } from '../../src/services/home.ts';
import { ACTION } from '../../src/slack/ids.ts';
import { homeView } from '../../src/slack/ui/home/home.ts';
import { blockKitProblems, buttons, readable } from '../helpers/harness.ts';
import { AT } from '../helpers/rows.ts';

const F = { tz: 'Europe/Sofia' };
const home = (over: Partial<HomeData> = {}): HomeData => ({ userId: 'U0SELLER', today: '2026-11-24', stages: [], approvals: [], overdue: [], fns: [], ...over });
const fields = (v: ReturnType<typeof homeView>) => v.blocks.flatMap((b) => ('fields' in b && b.fields ? b.fields.map((f) => f.text) : []));

describe('App Home', () => {
  it('has New contract and Refresh', () => {
    expect(buttons(homeView(home(), F)).map((b) => b.action_id)).toEqual([ACTION.homeNewContract, ACTION.homeRefresh]);
  });

  it('counts the person’s clients by stage in pipeline order, with deal values per currency', () => {
    const v = homeView(
      home({
        stages: [
          { stage: 'proposal', clients: 2, currency: 'EUR', valueMinor: 1_000_000 },
          { stage: 'lead', clients: 1, currency: null, valueMinor: 0 },
          { stage: 'proposal', clients: 1, currency: 'USD', valueMinor: 50_000 },
        ],
      }),
      F,
    );
    expect(fields(v)).toEqual(['*lead*\n1 client', '*proposal*\n3 clients · €10,000.00 + $500.00']);
    expect(readable(homeView(home(), F))).toContain('_No clients yet.');
  });

  it('shows decisions waiting only to approvers, with the deadline in the workspace’s zone', () => {
    expect(readable(homeView(home(), F))).not.toContain('Waiting for your decision');
    const v = homeView(home({ fns: ['legal'], approvals: [{ contractId: 42, version: 2, fn: 'legal', clientName: 'Acme Ltd', subject: 'Steel beams', amountMinor: 1_250_000, currency: 'EUR', submittedBy: 'U0SELLER2', dueAt: AT }] }), F);
    const text = readable(v);
    expect(text).toContain('*Waiting for your decision* (legal)');
    expect(text).toContain('• Contract #42 v2 · *Acme Ltd* · Steel beams · €12,500.00 · legal · from <@U0SELLER2> · due 2026-11-24 10:00');
    expect(readable(homeView(home({ fns: ['finance'] }), F))).toContain('_Nothing waits for you._');
  });

  it('lists the person’s overdue invoices with days late', () => {
    const v = homeView(home({ overdue: [{ id: 5, number: 'INV-000005', clientName: 'Acme <Ltd>', owedMinor: 75_000, currency: 'EUR', dueDate: '2026-11-23' }] }), F);
    expect(readable(v)).toContain('• #5 INV-000005 · *Acme &lt;Ltd&gt;* · €750.00 owed · due 2026-11-23 · *1 day late*');
    expect(readable(homeView(home(), F))).toContain('_None overdue._');
  });

  it('stays within Block Kit’s limits with many approvals and invoices', () => {
    const approvals = Array.from({ length: 200 }, (_, i) => ({ contractId: i, version: 1, fn: 'finance' as const, clientName: 'C'.repeat(100), subject: 'S'.repeat(200), amountMinor: 1, currency: 'EUR', submittedBy: 'U0SELLER', dueAt: AT }));
    const overdue = Array.from({ length: 200 }, (_, i) => ({ id: i, number: `INV-${i}`, clientName: 'C'.repeat(100), owedMinor: 1, currency: 'EUR', dueDate: '2026-01-01' }));
    expect(blockKitProblems({ view: homeView(home({ fns: ['finance'], approvals, overdue }), F) })).toEqual([]);
  });
});
