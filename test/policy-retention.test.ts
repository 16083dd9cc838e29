import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, loadPolicy, loyaltyFor, reviewEveryDays } from '../src/policy.ts';

const policyFile = (yaml: string) => {
  const p = join(mkdtempSync(join(tmpdir(), 'dealdesk-policy-')), 'policy.yaml');
  writeFileSync(p, yaml);
  return p;
};
const load = (yaml: string) => loadPolicy(policyFile(yaml));
const problems = (yaml: string) => {
  const r = load(yaml);
  return r.ok ? '' : r.problems.join('\n');
};

describe('policy: review cadence, quiet factor and the reviews job (SPEC §7)', () => {
  it('defaults to A 90, B 180, C 365 days, a quiet factor of 2 and a Monday-morning reviews job', () => {
    expect(reviewEveryDays(DEFAULT_POLICY)).toEqual({ A: 90, B: 180, C: 365 });
    expect(DEFAULT_POLICY.retention).toEqual({ quietFactor: 2 });
    expect(DEFAULT_POLICY.schedules.reviews).toBe('10 8 * * 1');
  });

  it('reads a segment’s cadence and keeps the other segments’ defaults and its other terms', () => {
    const r = load('loyalty:\n  B: { reviewEveryDays: 120 }\nretention: { quietFactor: 1.5 }\nschedules: { reviews: "0 7 * * 1-5" }\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(reviewEveryDays(r.policy)).toEqual({ A: 90, B: 120, C: 365 });
    expect(loyaltyFor(r.policy, 'B').netDays).toBe(45);
    expect(r.policy.retention.quietFactor).toBe(1.5);
    expect(r.policy.schedules.reviews).toBe('0 7 * * 1-5');
  });

  it('names a bad cadence, factor or cron with its path and what is expected', () => {
    expect(problems('loyalty:\n  A: { reviewEveryDays: 0 }\n')).toMatch(/loyalty\.A\.reviewEveryDays must be at least 1 day/);
    expect(problems('loyalty:\n  A: { reviewEveryDays: 7.5 }\n')).toMatch(/loyalty\.A\.reviewEveryDays must be a whole number of days/);
    expect(problems('loyalty:\n  C: { reviewEveryDays: quarterly }\n')).toMatch(/loyalty\.C\.reviewEveryDays must be a whole number of days, such as 90/);
    expect(problems('retention: { quietFactor: 0.5 }\n')).toMatch(/retention\.quietFactor must be at least 1: a client is quiet only when silent longer than its usual gap/);
    expect(problems('retention: { quietFactor: often }\n')).toMatch(/retention\.quietFactor must be a number such as 2/);
    expect(problems('retention: { quietFactr: 2 }\n')).toMatch(/retention .*quietFactr/);
    expect(problems('schedules: { reviews: "every monday" }\n')).toMatch(/schedules\.reviews must be a cron expression/);
  });
});
