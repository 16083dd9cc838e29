import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, loadPolicy } from '../src/policy.ts';

const policyFile = (yaml: string) => {
  const p = join(mkdtempSync(join(tmpdir(), 'dealdesk-policy-')), 'policy.yaml');
  writeFileSync(p, yaml);
  return p;
};

describe('policy claims (SPEC §5 statutory interest)', () => {
  it('defaults to the SPEC rates and 40 EUR compensation', () => {
    expect(DEFAULT_POLICY.claims).toEqual({
      interestRates: [
        { from: '2025-07-01', ratePct: '11.91' },
        { from: '2026-01-01', ratePct: '10.15' },
      ],
      recoveryCompensation: { amount: 40, currency: 'EUR' },
    });
  });

  it('takes a rate table of half-years, the rate as a YAML number or string', () => {
    const r = loadPolicy(policyFile('claims:\n  interestRates:\n    - { from: 2026-01-01, ratePct: 10.15 }\n    - { from: "2026-07-01", ratePct: "9.9" }\n  recoveryCompensation: { amount: 40, currency: EUR }\n'));
    expect(r.ok && r.policy.claims.interestRates).toEqual([
      { from: '2026-01-01', ratePct: '10.15' },
      { from: '2026-07-01', ratePct: '9.9' },
    ]);
  });

  it('refuses a row not starting 1 January or 1 July, a half-year given twice, a bad rate or currency, with the path', () => {
    const problems = (yaml: string) => {
      const r = loadPolicy(policyFile(yaml));
      return r.ok ? [] : r.problems;
    };
    expect(problems('claims:\n  interestRates:\n    - { from: "2026-02-01", ratePct: "10.15" }\n').join('\n')).toMatch(/claims\.interestRates\.0\.from must be a date starting a half-year/);
    expect(problems('claims:\n  interestRates:\n    - { from: "2026-01-01", ratePct: "10.15" }\n    - { from: "2026-01-01", ratePct: "9" }\n').join('\n')).toMatch(/claims\.interestRates gives a half-year twice/);
    expect(problems('claims:\n  interestRates:\n    - { from: "2026-01-01", ratePct: "ten" }\n').join('\n')).toMatch(/claims\.interestRates\.0\.ratePct must be an annual rate/);
    expect(problems('claims:\n  recoveryCompensation: { amount: 40, currency: EURO }\n').join('\n')).toMatch(/claims\.recoveryCompensation\.currency/);
  });
});
