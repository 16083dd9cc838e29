/**
 * The people and channels of the local workspace (`npm start` without SLACK_BOT_TOKEN, see
 * ./server.ts), in the workspace's language (DEALDESK_LOCALE): an English company, or with `bg`
 * a Bulgarian one. The ids are the same in both, so the demo, the tests and a kept
 * conversation work either way.
 */
import type { Locale } from '../domain/locales.ts';

export type Role = 'seller' | 'legal' | 'finance' | 'admin';

export interface Person {
  id: string;
  /** The handle, as in `@maria`. */
  name: string;
  realName: string;
  title: string;
  role: Role;
  color: string;
}

export interface Channel {
  id: 'C0SALES' | 'C0LEGAL' | 'C0FINANCE';
  name: string;
  topic: string;
  key: 'sales' | 'legal' | 'finance';
}

export interface Personas {
  workspaceName: string;
  people: readonly Person[];
  channels: readonly Channel[];
}

const COLORS = { U0SELLER: '#2f7d6d', U0LEGAL: '#7b4fa0', U0FINANCE: '#b4632a', U0ADMIN: '#2b6cb0' } as const;

const PERSONAS: Record<Locale, Personas> = {
  en: {
    workspaceName: 'Vitosha Trading',
    people: [
      { id: 'U0SELLER', name: 'maria', realName: 'Maria Petrova', title: 'Account executive', role: 'seller', color: COLORS.U0SELLER },
      { id: 'U0LEGAL', name: 'lea', realName: 'Lea Ivanova', title: 'Legal counsel', role: 'legal', color: COLORS.U0LEGAL },
      { id: 'U0FINANCE', name: 'filip', realName: 'Filip Georgiev', title: 'Finance controller', role: 'finance', color: COLORS.U0FINANCE },
      { id: 'U0ADMIN', name: 'ana', realName: 'Ana Dimitrova', title: 'Operations lead · dealdesk admin', role: 'admin', color: COLORS.U0ADMIN },
    ],
    channels: [
      { id: 'C0SALES', name: 'sales', topic: 'Deals, the funnel and ABC digests', key: 'sales' },
      { id: 'C0LEGAL', name: 'legal', topic: 'Contract approvals for legal', key: 'legal' },
      { id: 'C0FINANCE', name: 'finance', topic: 'Contract approvals, overdue invoices and payments', key: 'finance' },
    ],
  },
  bg: {
    workspaceName: 'Витоша Трейдинг',
    people: [
      { id: 'U0SELLER', name: 'maria', realName: 'Мария Петрова', title: 'Търговски представител', role: 'seller', color: COLORS.U0SELLER },
      { id: 'U0LEGAL', name: 'liliana', realName: 'Лиляна Иванова', title: 'Юрисконсулт', role: 'legal', color: COLORS.U0LEGAL },
      { id: 'U0FINANCE', name: 'filip', realName: 'Филип Георгиев', title: 'Финансов контрольор', role: 'finance', color: COLORS.U0FINANCE },
      { id: 'U0ADMIN', name: 'ana', realName: 'Ана Димитрова', title: 'Ръководител „Операции“ · администратор на dealdesk', role: 'admin', color: COLORS.U0ADMIN },
    ],
    channels: [
      { id: 'C0SALES', name: 'продажби', topic: 'Сделки, фунията на продажбите и ABC анализите', key: 'sales' },
      { id: 'C0LEGAL', name: 'правна-служба', topic: 'Договори за одобрение от правната служба', key: 'legal' },
      { id: 'C0FINANCE', name: 'финанси', topic: 'Договори за одобрение, просрочени фактури и плащания', key: 'finance' },
    ],
  },
};

export function personasFor(locale: Locale): Personas {
  return PERSONAS[locale];
}

/** The English workspace's (the default): kept as constants for callers that need no language. */
export const WORKSPACE_NAME = PERSONAS.en.workspaceName;
export const PEOPLE: readonly Person[] = PERSONAS.en.people;
export const CHANNELS: readonly Channel[] = PERSONAS.en.channels;

/** The fixed bot token of the local workspace: it never leaves loopback. */
export const LOCAL_BOT_TOKEN = 'xoxb-local-dealdesk-workspace';
