/** The people and channels of the local workspace (`npm start` without SLACK_BOT_TOKEN, see ./server.ts). */

export const WORKSPACE_NAME = 'Vitosha Trading';

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

export const PEOPLE: readonly Person[] = [
  { id: 'U0SELLER', name: 'maria', realName: 'Maria Petrova', title: 'Account executive', role: 'seller', color: '#2f7d6d' },
  { id: 'U0LEGAL', name: 'lea', realName: 'Lea Ivanova', title: 'Legal counsel', role: 'legal', color: '#7b4fa0' },
  { id: 'U0FINANCE', name: 'filip', realName: 'Filip Georgiev', title: 'Finance controller', role: 'finance', color: '#b4632a' },
  { id: 'U0ADMIN', name: 'ana', realName: 'Ana Dimitrova', title: 'Operations lead · dealdesk admin', role: 'admin', color: '#2b6cb0' },
];

export const CHANNELS = [
  { id: 'C0SALES', name: 'sales', topic: 'Deals, the funnel and ABC digests', key: 'sales' },
  { id: 'C0LEGAL', name: 'legal', topic: 'Contract approvals for legal', key: 'legal' },
  { id: 'C0FINANCE', name: 'finance', topic: 'Contract approvals, overdue invoices and payments', key: 'finance' },
] as const;

/** The fixed bot token of the local workspace: it never leaves loopback. */
export const LOCAL_BOT_TOKEN = 'xoxb-local-dealdesk-workspace';
