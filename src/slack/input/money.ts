import type { AmountRefusal } from '../../domain/index.ts';
import { clip } from '../ui/format.ts';

/** What was wrong with an amount someone typed, and how to write it. */
export function amountProblem(text: string, currency: string, r: AmountRefusal): string {
  switch (r.kind) {
    case 'too-many-decimals':
      return `\`${clip(text)}\`: ${currency} has ${r.digits} decimal places.`;
    case 'not-positive':
      return 'The amount must be more than zero.';
    case 'too-large':
      return `\`${clip(text)}\` is too large an amount.`;
    case 'not-a-number':
      return `\`${clip(text)}\` is not an amount: write e.g. \`12500\` or \`12,500.50\`.`;
  }
}
