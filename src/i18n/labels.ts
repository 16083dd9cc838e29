import type { AbcCriterion } from '../domain/abc.ts';
import type { ClaimStatus, DunningEvent } from '../domain/claims.ts';
import type { ContractKind, ContractStatus, Decision, Fn } from '../domain/contracts.ts';
import type { Service } from '../domain/delivery.ts';
import type { DunningAction, DunningOutcome } from '../domain/dunning.ts';
import type { InvoiceStatus } from '../domain/invoices.ts';
import type { ClientSize } from '../domain/fit.ts';
import type { Segment, Stage } from '../domain/stages.ts';
import { t, type Locale, type MessageKey } from './t.ts';

/** Each closed set of src/domain that people read, by the prefix of its labels' keys. */
interface LabelSets {
  stage: Stage;
  segment: Segment;
  size: ClientSize;
  contractStatus: ContractStatus;
  /** A function after a preposition: "for legal", „за правната служба“. */
  fn: Fn;
  /** A function as a title: "Legal", „Правна служба“. */
  fnTitle: Fn;
  decision: Decision;
  contractKind: ContractKind;
  contractKindTitle: ContractKind;
  service: Service;
  serviceWho: Service;
  invoiceStatus: InvoiceStatus;
  dunningAction: DunningAction;
  dunningOutcome: DunningOutcome;
  dunningEvent: DunningEvent;
  claimStatus: ClaimStatus;
  criterion: AbcCriterion;
  /** The word `/contract list` takes for a status. */
  contractStatusWord: ContractStatus;
}
export type LabelSet = keyof LabelSets;
type LabelKey = { [S in LabelSet]: `${S}.${LabelSets[S]}` }[LabelSet];

// A code without its label in the catalog fails to compile here.
const everyLabelIsAMessage: LabelKey extends MessageKey ? true : never = true;
void everyLabelIsAMessage;

/** How people of `locale` name a code: `label('bg', 'stage', 'proposal')` → `оферта`. */
export function label<S extends LabelSet>(locale: Locale, set: S, code: LabelSets[S]): string {
  return t(locale, `${set}.${code}` as 'stage.lead');
}
