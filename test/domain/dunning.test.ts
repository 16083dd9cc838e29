import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../src/domain/dates.ts';
import { DEFAULT_LADDER, nextLadderStep, type LadderState, type LadderStep, type Rung } from '../../src/domain/dunning.ts';

const DUE = '2026-11-01';
const LAPSE = 3;

/** The ladder's state `daysLate` days after the due date, with nothing done yet. */
function state(daysLate: number, over: Partial<LadderState> = {}): LadderState {
  return { daysLate, today: addDays(DUE, daysLate), sent: [], promise: null, claimOffered: false, returnedOn: null, ...over };
}

/** Every sales rung of the default ladder sent on its day, with an outcome logged (or not). */
function allSent(logged: boolean): LadderState['sent'] {
  return DEFAULT_LADDER.flatMap((r, rung) => (r.action === 'escalate-legal' ? [] : [{ rung, sentOn: addDays(DUE, r.day), loggedOn: logged ? addDays(DUE, r.day) : null }]));
}

const step = (s: LadderState, ladder: Rung[] = DEFAULT_LADDER) => nextLadderStep(ladder, s, LAPSE);

describe('the dunning ladder, one step at a time', () => {
  it('waits until the first rung is due, then sends it', () => {
    expect(step(state(0))).toEqual({ kind: 'wait' });
    expect(step(state(1))).toEqual({ kind: 'send', rung: 0, action: 'remind-owner' });
  });

  it('sends each sales rung on its day and waits in between', () => {
    const sent = [{ rung: 0, sentOn: addDays(DUE, 1), loggedOn: null }];
    expect(step(state(6, { sent }))).toEqual({ kind: 'wait' });
    expect(step(state(7, { sent }))).toEqual({ kind: 'send', rung: 1, action: 'call-client' });
  });

  it('never skips a rung after downtime: the earliest unsent goes first', () => {
    expect(step(state(20))).toEqual({ kind: 'send', rung: 0, action: 'remind-owner' });
    expect(step(state(46, { sent: [{ rung: 0, sentOn: addDays(DUE, 45), loggedOn: null }] }))).toEqual({ kind: 'send', rung: 1, action: 'call-client' });
  });

  it('sends at most one rung a day: a second run on the day a rung went out waits, the next day goes on', () => {
    const sent = [{ rung: 0, sentOn: addDays(DUE, 20), loggedOn: addDays(DUE, 20) }];
    expect(step(state(20, { sent }))).toEqual({ kind: 'wait' });
    expect(step(state(21, { sent }))).toEqual({ kind: 'send', rung: 1, action: 'call-client' });
    // Also when the rung sent today is not the one before (a ladder changed in between).
    expect(step(state(20, { sent: [{ rung: 2, sentOn: addDays(DUE, 20), loggedOn: null }] }))).toEqual({ kind: 'wait' });
    // A broken promise is still announced on such a day; only rungs are one a day.
    const promise = { date: addDays(DUE, 19), brokenNoticed: false };
    expect(step(state(20, { sent, promise }))).toEqual({ kind: 'promise-broken', promised: promise.date });
  });

  it('walks a ladder given out of order by day, keeping each rung its index in the policy', () => {
    const ladder: Rung[] = [
      { day: 10, action: 'tell-manager' },
      { day: 2, action: 'remind-owner' },
    ];
    expect(step(state(12), ladder)).toEqual({ kind: 'send', rung: 1, action: 'remind-owner' });
    expect(step(state(13, { sent: [{ rung: 1, sentOn: addDays(DUE, 12), loggedOn: null }] }), ladder)).toEqual({ kind: 'send', rung: 0, action: 'tell-manager' });
  });

  it('pauses through the promised date, inclusive', () => {
    const promise = { date: addDays(DUE, 10), brokenNoticed: false };
    expect(step(state(3, { promise }))).toEqual({ kind: 'paused', until: promise.date });
    expect(step(state(10, { promise }))).toEqual({ kind: 'paused', until: promise.date });
  });

  it('announces a broken promise once, then resumes where it stopped', () => {
    const sent = [{ rung: 0, sentOn: addDays(DUE, 1), loggedOn: addDays(DUE, 1) }];
    const promise = { date: addDays(DUE, 10), brokenNoticed: false };
    expect(step(state(11, { sent, promise }))).toEqual({ kind: 'promise-broken', promised: promise.date });
    expect(step(state(11, { sent, promise: { ...promise, brokenNoticed: true } }))).toEqual({ kind: 'send', rung: 1, action: 'call-client' });
  });

  it('does not offer a claim before the legal rung’s day', () => {
    expect(step(state(29, { sent: allSent(true) }))).toEqual({ kind: 'wait' });
    expect(step(state(30, { sent: allSent(true) }))).toEqual({ kind: 'offer-claim' });
  });

  it('offers the claim only when every sales rung was logged or has lapsed', () => {
    // tell-manager went out on day 30 after downtime: no answer yet, not lapsed.
    const late = allSent(true).map((x) => (x.rung === 2 ? { ...x, sentOn: addDays(DUE, 30), loggedOn: null } : x));
    expect(step(state(30, { sent: late }))).toEqual({ kind: 'wait' });
    expect(step(state(30 + LAPSE - 1, { sent: late }))).toEqual({ kind: 'wait' });
    expect(step(state(30 + LAPSE, { sent: late }))).toEqual({ kind: 'offer-claim' });
  });

  it('never offers the claim while a sales rung is unsent', () => {
    expect(step(state(90, { sent: allSent(true).filter((x) => x.rung !== 1) }))).toEqual({ kind: 'send', rung: 1, action: 'call-client' });
  });

  it('offers the claim once', () => {
    expect(step(state(40, { sent: allSent(true), claimOffered: true }))).toEqual({ kind: 'wait' });
  });

  it('after legal sends it back, offers again only once sales logged a step after the return', () => {
    const returnedOn = addDays(DUE, 35);
    expect(step(state(40, { sent: allSent(true), returnedOn }))).toEqual({ kind: 'wait' });
    const worked = allSent(true).map((x) => (x.rung === 1 ? { ...x, loggedOn: addDays(DUE, 36) } : x));
    expect(step(state(40, { sent: worked, returnedOn }))).toEqual({ kind: 'offer-claim' });
  });

  it('never goes to legal on a ladder without a legal rung', () => {
    const ladder = DEFAULT_LADDER.filter((r) => r.action !== 'escalate-legal');
    expect(step(state(400, { sent: allSent(true) }), ladder)).toEqual({ kind: 'wait' });
  });
});

/**
 * Runs the ladder once a day from the due date, as the scheduler does (more often on the days in
 * `runsOn`: a digest run by hand, a schedule with several runs a day), with the owner logging an
 * outcome on some days and the client promising to pay on others. Returns every step taken.
 */
function simulate(ladder: Rung[], days: number, logOn: Set<number>, promiseOn: Map<number, number>, runsOn = new Map<number, number>()): { day: number; step: LadderStep; s: LadderState }[] {
  const s: LadderState = state(0);
  const out: { day: number; step: LadderStep; s: LadderState }[] = [];
  for (let day = 1; day <= days; day++) {
    s.daysLate = day;
    s.today = addDays(DUE, day);
    let taken: LadderStep = { kind: 'wait' };
    for (let run = 0; run < (runsOn.get(day) ?? 1); run++) {
      taken = nextLadderStep(ladder, s, LAPSE);
      out.push({ day, step: taken, s: structuredClone(s) });
      if (taken.kind === 'send') s.sent.push({ rung: taken.rung, sentOn: s.today, loggedOn: null });
      if (taken.kind === 'promise-broken') s.promise = { ...s.promise!, brokenNoticed: true };
      if (taken.kind === 'offer-claim') s.claimOffered = true;
    }
    const open = s.sent.find((x) => x.loggedOn === null);
    if (open && logOn.has(day)) open.loggedOn = s.today;
    const p = promiseOn.get(day);
    if (p !== undefined && taken.kind !== 'paused') s.promise = { date: addDays(s.today, p), brokenNoticed: false };
  }
  return out;
}

const ladderArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 })
  .chain((salesDays) =>
    fc.record({
      sales: fc.constant(salesDays),
      actions: fc.array(fc.constantFrom('remind-owner', 'call-client', 'tell-manager' as const), { minLength: salesDays.length, maxLength: salesDays.length }),
      legalAfter: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
      shuffle: fc.boolean(),
    }),
  )
  .map(({ sales, actions, legalAfter, shuffle }) => {
    const ladder: Rung[] = sales.map((day, i) => ({ day, action: actions[i]! }));
    if (legalAfter !== undefined) ladder.push({ day: Math.max(...sales) + legalAfter, action: 'escalate-legal' });
    return shuffle ? ladder.reverse() : ladder;
  });

/** The rungs a simulated run sent: each at most once, in order of day, never before its day. */
function expectRungsInOrder(ladder: Rung[], run: { day: number; step: LadderStep }[]): void {
  const sends = run.flatMap((r) => (r.step.kind === 'send' ? [{ day: r.day, rung: r.step.rung }] : []));
  const rungs = sends.map((r) => r.rung);
  expect(new Set(rungs).size).toBe(rungs.length);
  const order = ladder
    .map((r, i) => ({ ...r, i }))
    .filter((r) => r.action !== 'escalate-legal')
    .sort((a, b) => a.day - b.day)
    .map((r) => r.i);
  expect(rungs).toEqual(order.slice(0, rungs.length));
  for (const r of sends) expect(r.day).toBeGreaterThanOrEqual(ladder[r.rung]!.day);
}

describe('the dunning ladder over many days (properties)', () => {
  const daysArb = fc.integer({ min: 1, max: 100 });
  const logArb = fc.uniqueArray(fc.integer({ min: 1, max: 120 }), { maxLength: 40 }).map((a) => new Set(a));
  const promiseArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 20 })), { maxLength: 4 }).map((a) => new Map(a));

  it('sends every sales rung at most once, in order of day, never before its day', () => {
    fc.assert(
      fc.property(ladderArb, daysArb, logArb, promiseArb, (ladder, days, logOn, promiseOn) => {
        expectRungsInOrder(ladder, simulate(ladder, days, logOn, promiseOn));
      }),
      { numRuns: 150 },
    );
  });

  it('sends at most one rung a day however often it runs, still in order and never before its day', () => {
    // Some days with extra runs, or a schedule that runs two or three times every day.
    const someDays = fc.array(fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 2, max: 4 })), { maxLength: 60 }).map((a) => new Map(a));
    const everyDay = fc.integer({ min: 2, max: 3 }).map((n) => new Map(Array.from({ length: 120 }, (_, i) => [i + 1, n])));
    const runsArb = fc.oneof(someDays, everyDay);
    let rerunSends = 0;
    fc.assert(
      fc.property(ladderArb, daysArb, logArb, promiseArb, runsArb, (ladder, days, logOn, promiseOn, runsOn) => {
        const run = simulate(ladder, days, logOn, promiseOn, runsOn);
        const sendDays = run.filter((r) => r.step.kind === 'send').map((r) => r.day);
        expect(new Set(sendDays).size).toBe(sendDays.length);
        rerunSends += sendDays.filter((d) => runsOn.has(d)).length;
        expectRungsInOrder(ladder, run);
      }),
      { numRuns: 150 },
    );
    // Rungs do go out on days with several runs: the property is not true for want of them.
    expect(rerunSends).toBeGreaterThan(50);
  });

  it('sends nothing while a promise stands, and announces each broken promise before resuming', () => {
    fc.assert(
      fc.property(ladderArb, daysArb, logArb, promiseArb, (ladder, days, logOn, promiseOn) => {
        for (const { step: taken, s } of simulate(ladder, days, logOn, promiseOn)) {
          const standing = s.promise !== null && s.today <= s.promise.date;
          if (standing) expect(taken).toEqual({ kind: 'paused', until: s.promise!.date });
          if (s.promise && !standing && !s.promise.brokenNoticed) expect(taken.kind).toBe('promise-broken');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('offers a claim only after the legal day, with every sales rung sent and each logged or lapsed', () => {
    let offered = 0;
    fc.assert(
      fc.property(ladderArb, daysArb, logArb, promiseArb, (ladder, days, logOn, promiseOn) => {
        const legal = ladder.find((r) => r.action === 'escalate-legal');
        const offers = simulate(ladder, days, logOn, promiseOn).filter((r) => r.step.kind === 'offer-claim');
        expect(offers.length).toBeLessThanOrEqual(1);
        offered += offers.length;
        for (const { day, s } of offers) {
          expect(legal).toBeDefined();
          expect(day).toBeGreaterThanOrEqual(legal!.day);
          ladder.forEach((r, i) => {
            if (r.action === 'escalate-legal') return;
            const x = s.sent.find((y) => y.rung === i);
            expect(x).toBeDefined();
            expect(x!.loggedOn !== null || daysBetween(x!.sentOn, s.today) >= LAPSE).toBe(true);
          });
        }
      }),
      { numRuns: 150 },
    );
    // The runs reach the gate: the property is not true for want of claims.
    expect(offered).toBeGreaterThan(10);
  });
});
