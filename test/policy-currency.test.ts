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
const problems = (yaml: string) => {
  const r = loadPolicy(policyFile(yaml));
  return r.ok ? [] : r.problems;
};

describe('policy currency.changeover (SPEC §5 the euro)', () => {
  it('defaults to BGN → EUR at 1.95583 from 2026-01-01', () => {
    expect(DEFAULT_POLICY.currency.changeover).toEqual({ from: 'BGN', to: 'EUR', rate: '1.95583', date: '2026-01-01' });
  });

  it('reads a changeover from the file, the rate as a number or a string', () => {
    const r = loadPolicy(policyFile('currency:\n  changeover: { from: BGN, to: EUR, rate: 1.95583, date: 2026-01-01 }\n'));
    expect(r.ok && r.policy.currency.changeover).toEqual({ from: 'BGN', to: 'EUR', rate: '1.95583', date: '2026-01-01' });
    const s = loadPolicy(policyFile('currency:\n  changeover: { from: BGN, to: EUR, rate: "2", date: "2027-01-01" }\n'));
    expect(s.ok && s.policy.currency.changeover).toEqual({ from: 'BGN', to: 'EUR', rate: '2', date: '2027-01-01' });
  });

  it('names a bad rate, currency or date with its path', () => {
    expect(problems('currency:\n  changeover: { from: BGN, to: EUR, rate: "0", date: 2026-01-01 }\n').join('\n')).toMatch(/currency\.changeover\.rate must be a plain decimal above 0/);
    expect(problems('currency:\n  changeover: { from: BGN, to: EUR, rate: "1,95583", date: 2026-01-01 }\n').join('\n')).toMatch(/currency\.changeover\.rate/);
    expect(problems('currency:\n  changeover: { from: BGN, to: EURO, rate: "1.95583", date: 2026-01-01 }\n').join('\n')).toMatch(/currency\.changeover\.to must be an ISO 4217/);
    expect(problems('currency:\n  changeover: { from: BGN, to: EUR, rate: "1.95583", date: 2026-13-01 }\n').join('\n')).toMatch(/currency\.changeover\.date must be a date/);
    expect(problems('currency:\n  changeover: { from: EUR, to: EUR, rate: "1", date: 2026-01-01 }\n').join('\n')).toMatch(/currency\.changeover from and to must be different/);
    // A pound worth more than a euro could leave a payment in euro a cent off: refused (paymentAfterChangeover needs a from unit ≤ a to unit).
    expect(problems('currency:\n  changeover: { from: GBP, to: EUR, rate: "0.85", date: 2026-01-01 }\n').join('\n')).toMatch(/currency\.changeover rate must make a minor unit of from worth no more than one of to/);
  });

  it('has no BGN rate for ABC by default: BGN converts by the changeover rule; a rate in a file is still accepted', () => {
    expect(DEFAULT_POLICY.abc.rates).toEqual({});
    const r = loadPolicy(policyFile('abc:\n  rates: { BGN: 0.51129, USD: 0.92 }\n'));
    expect(r.ok && r.policy.abc.rates).toEqual({ BGN: 0.51129, USD: 0.92 });
  });
});
