import { describe, expect, it } from 'vitest';
import { refusalText } from '../../src/slack/reply.ts';

describe('refusals in words', () => {
  it('names who may tick a delivery task as a sentence would', () => {
    const text = (service: 'sales' | 'finance' | 'legal' | 'service_unit') => refusalText({ kind: 'task', title: 'Service rendered', refusal: { kind: 'not-responsible', service } });
    expect(text('service_unit')).toContain('Only the service unit can tick *Service rendered*');
    expect(text('sales')).toContain('Only sales can tick');
    expect(text('finance')).toContain('Only finance can tick');
  });
});
