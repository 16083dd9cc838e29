import { describe, expect, it } from 'vitest';
import { parseClientCommand } from '../../src/slack/input/client.ts';
import { problemSentence } from '../../src/slack/reply.ts';

const ok = (t: string) => {
  const r = parseClientCommand(t);
  if (!r.ok) throw new Error(`expected ${t} to parse: ${problemSentence(r.problem)}`);
  return r.command;
};

describe('/client text', () => {
  it('reads add with owner and a contact that has spaces and colons', () => {
    expect(ok('add Acme Ltd owner:<@U0ABC|maria> contact:Ivan, tel: +359 2 123')).toEqual({
      kind: 'add',
      name: 'Acme Ltd',
      owner: 'U0ABC',
      contact: 'Ivan, tel: +359 2 123',
    });
  });
  it('unescapes what Slack escapes', () => {
    expect(ok('add Smith &amp; Sons')).toEqual({ kind: 'add', name: 'Smith & Sons' });
  });
  it('reads a name or #id as the card', () => {
    expect(ok('Acme Ltd')).toEqual({ kind: 'show', ref: { name: 'Acme Ltd' } });
    expect(ok('#12')).toEqual({ kind: 'show', ref: { id: 12 } });
  });
  it('reads move with the stage as the last word', () => {
    expect(ok('move Елит Строй ЕООД Qualified')).toEqual({ kind: 'move', ref: { name: 'Елит Строй ЕООД' }, stage: 'qualified' });
  });
  it('reads move with a value and an expected close, in either order, into minor units', () => {
    expect(ok('move Acme Ltd proposal value:12,000.50 eur close:2027-01-31')).toEqual({
      kind: 'move',
      ref: { name: 'Acme Ltd' },
      stage: 'proposal',
      value: { minor: 1_200_050, currency: 'EUR' },
      close: '2027-01-31',
    });
    expect(ok('move #7 qualified close:2027-02-28 value:300000JPY')).toEqual({ kind: 'move', ref: { id: 7 }, stage: 'qualified', close: '2027-02-28', value: { minor: 300_000, currency: 'JPY' } });
  });
  it('reads lost every way the name and reason can split, longest name first', () => {
    const c = ok('lost Acme Ltd too expensive');
    expect(c).toMatchObject({ kind: 'lost', whole: { name: 'Acme Ltd too expensive' } });
    if (c.kind !== 'lost') throw new Error();
    expect(c.readings.map((r) => r.ref)).toEqual([{ name: 'Acme Ltd too' }, { name: 'Acme Ltd' }, { name: 'Acme' }]);
    expect(c.readings[1]?.reason).toBe('too expensive');
    expect(ok('lost #4 no budget')).toMatchObject({ readings: [{ ref: { id: 4 }, reason: 'no budget' }] });
    expect(ok('lost Acme reason:no budget')).toMatchObject({ readings: [{ ref: { name: 'Acme' }, reason: 'no budget' }] });
  });
  it('reads review like lost: every way the name and note can split, or #id and the note', () => {
    const c = ok('review Acme Ltd wants a pilot');
    if (c.kind !== 'review') throw new Error();
    expect(c.whole).toEqual({ name: 'Acme Ltd wants a pilot' });
    expect(c.readings[2]).toEqual({ ref: { name: 'Acme Ltd' }, note: 'wants a pilot' });
    expect(ok('review #4 renewing')).toEqual({ kind: 'review', readings: [{ ref: { id: 4 }, note: 'renewing' }], whole: { id: 4 } });
  });
  it('reads industry, region and size on add and set (size in English or Bulgarian)', () => {
    expect(ok('set Acme industry:road freight region:Stara Zagora size:Small')).toEqual({ kind: 'set', ref: { name: 'Acme' }, changes: { industry: 'road freight', region: 'Stara Zagora', size: 'small' } });
    expect(ok('set #3 size:средно')).toMatchObject({ changes: { size: 'medium' } });
    expect(ok('add Beta industry:retail size:large')).toEqual({ kind: 'add', name: 'Beta', industry: 'retail', size: 'large' });
    expect(ok('list stage:lead sort:fit')).toEqual({ kind: 'list', stage: 'lead', sort: 'fit' });
  });
  it('reads list filters', () => {
    expect(ok('list stage:proposal segment:a owner:me')).toEqual({ kind: 'list', stage: 'proposal', segment: 'A', owner: { kind: 'me' } });
  });
  it('says what is wrong for bad input', () => {
    const bad = (t: string) => {
      const r = parseClientCommand(t);
      expect(r.ok, t).toBe(false);
      return r.ok ? '' : problemSentence(r.problem);
    };
    expect(bad('')).toContain('Tell me');
    expect(bad('list stage:x')).toContain('not a stage');
    expect(bad('list stage:lead stage:won')).toContain('given twice');
    expect(bad('move Acme')).toContain('stage');
    expect(bad('x'.repeat(4001))).toContain('at most 4000');
    expect(bad('add Foo owner:@bob')).toContain('not a Slack user');
    expect(bad('lost #3')).toContain('Say why');
    expect(bad('set Acme size:huge')).toContain('`size:huge` is not a size');
    expect(bad('set Acme region:')).toContain('`region:` is empty');
    expect(bad(`set Acme industry:${'x'.repeat(101)}`)).toContain('too long');
    expect(bad('list sort:name')).toContain('not an order');
    expect(bad('review')).toContain('Which client');
    expect(bad('review #3')).toContain('Say what the review found');
  });
});
