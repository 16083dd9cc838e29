import { describe, expect, it } from 'vitest';
import { clientStage, decideLost, decideMove, MANUAL_STAGES, nextStage, STAGES } from '../../src/domain/stages.ts';

describe('stage moves by hand', () => {
  it('allows moves between lead, qualified and proposal, both ways', () => {
    for (const from of MANUAL_STAGES)
      for (const to of MANUAL_STAGES)
        expect(decideMove(from, to).ok).toBe(from !== to);
  });

  it('never moves into contract, delivery, payment or won by hand', () => {
    for (const from of STAGES)
      for (const to of ['contract', 'delivery', 'payment', 'won'] as const) {
        const d = decideMove(from === 'won' || from === 'lost' ? null : from, to);
        expect(d).toEqual({ ok: false, refusal: { kind: 'automatic-stage', to } });
      }
  });

  it('sends lost to its own command, which needs a reason', () => {
    expect(decideMove('lead', 'lost')).toEqual({ ok: false, refusal: { kind: 'use-lost-command' } });
  });

  it('leaves a deal whose stage follows the paperwork alone', () => {
    for (const from of ['contract', 'delivery', 'payment'] as const)
      expect(decideMove(from, 'proposal')).toEqual({ ok: false, refusal: { kind: 'locked-stage', from } });
  });

  it('opens a new deal when every deal is closed', () => {
    expect(decideMove(null, 'qualified')).toEqual({ ok: true, from: null, to: 'qualified', newDeal: true });
  });
});

describe('lost', () => {
  it('needs a reason', () => {
    expect(decideLost('lead', '   ')).toEqual({ ok: false, refusal: { kind: 'reason-required' } });
    expect(decideLost('proposal', ' price ')).toEqual({ ok: true, from: 'proposal', reason: 'price' });
  });
  it('only before delivery', () => {
    expect(decideLost('contract', 'x').ok).toBe(true);
    for (const s of ['delivery', 'payment'] as const) expect(decideLost(s, 'x')).toEqual({ ok: false, refusal: { kind: 'too-late', from: s } });
    expect(decideLost(null, 'x')).toEqual({ ok: false, refusal: { kind: 'no-open-deal' } });
  });
});

describe("a client's stage", () => {
  it('is that of its most advanced open deal', () => {
    expect(clientStage([{ id: 1, stage: 'won' }, { id: 2, stage: 'qualified' }, { id: 3, stage: 'lead' }])).toBe('qualified');
  });
  it('is that of the latest deal when all are closed, and null with none', () => {
    expect(clientStage([{ id: 1, stage: 'won' }, { id: 2, stage: 'lost' }])).toBe('lost');
    expect(clientStage([])).toBeNull();
  });
  it('follows the pipeline order', () => {
    expect(nextStage('lead')).toBe('qualified');
    expect(nextStage('payment')).toBe('won');
    expect(nextStage('won')).toBeUndefined();
    expect(nextStage('lost')).toBeUndefined();
  });
});
