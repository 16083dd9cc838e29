/**
 * Clients: drawn first, all of them, into typed arrays (who owns them, their currency, payment
 * terms and discipline, product lines, Pareto size, whether and since when they are customers),
 * then written one by one as the deals of each are written.
 */
import { nameKey } from '../domain/names.ts';
import { ownerOf, type Clients, type Seeding } from './context.ts';

export type { Clients };
import { contactFor, uniqueName } from './names.ts';
import { int, normal, Weighted, type Rng } from './rng.ts';
import { FX, LINES, NETS, type Line } from './vocabulary.ts';


/** `n` clients, from the stream `r` alone. */
export function drawClients(r: Rng, n: number, owners: readonly string[]): Clients {
  const p: Clients = {
    n,
    names: new Array(n),
    contacts: new Array(n),
    cOwner: new Uint8Array(n),
    cCur: new Uint8Array(n),
    cNet: new Uint8Array(n),
    cDisc: new Uint8Array(n),
    cLine0: new Uint8Array(n),
    cLines: new Uint8Array(n),
    cCustomer: new Uint8Array(n),
    cSince: new Int32Array(n),
    cCreated: new Int32Array(n),
    cWeight: new Float64Array(n),
  };
  const ownerW = new Weighted(owners.map((_, i) => [i, Math.pow(0.85, i)] as const));
  const taken = new Set<string>();
  for (let c = 0; c < n; c++) drawClient(r, p, c, ownerW, taken);
  return p;
}

function drawClient(rC: Rng, p: Clients, c: number, ownerW: Weighted<number>, taken: Set<string>): void {
  const latin = rC() < 0.55;
  p.names[c] = uniqueName(rC, latin, taken);
  p.contacts[c] = contactFor(rC, latin, p.names[c]!);
  p.cOwner[c] = ownerW.pick(rC);
  const u = rC();
  p.cCur[c] = latin ? (u < 0.85 ? 0 : u < 0.97 ? 2 : 1) : u < 0.6 ? 1 : 0;
  p.cNet[c] = int(rC, 0, NETS.length - 1);
  const d = rC();
  p.cDisc[c] = d < 0.7 ? 0 : d < 0.9 ? 1 : 2;
  p.cLine0[c] = int(rC, 0, LINES.length - 1);
  p.cLines[c] = 1 + Math.floor(Math.pow(rC(), 1.8) * 7);
  // Pareto (α ≈ 1.16, the "80/20" shape), capped so one client cannot swallow everything.
  p.cWeight[c] = Math.min(Math.pow(1 - rC(), -1 / 1.16), 4000);
  if (rC() < 0.42) {
    p.cCustomer[c] = 1;
    p.cSince[c] = -(15 + Math.floor(Math.pow(rC(), 0.9) * 785));
    p.cCreated[c] = p.cSince[c]! - int(rC, 25, 120);
  } else {
    p.cCreated[c] = -(1 + Math.floor(Math.pow(rC(), 1.6) * 600));
  }
}

/** The client's `j`-th product line. */
export const lineOf = (p: Clients, c: number, j: number): Line => LINES[(p.cLine0[c]! + j * 7) % LINES.length]!;

export const sizeFactor = (p: Clients, c: number): number => Math.pow(p.cWeight[c]!, 0.25);

/** Money: a deal or contract value in the client's currency, minor units. */
export function money(r: Rng, p: Clients, c: number, eurMedian: number, sigma: number): number {
  const major = eurMedian * Math.exp(sigma * normal(r)) * FX[p.cCur[c]!]!;
  const rounded = major >= 1000 ? Math.round(major / 10) * 10 : Math.round(major * 100) / 100;
  return Math.max(10_000, Math.round(rounded * 100));
}

/** The client's row and its `created` audit event; returns when it was created. */
export function writeClient(s: Seeding, c: number): number {
  const { w } = s;
  const id = w.clientId(c);
  const owner = ownerOf(s, c);
  const createdAt = s.cal.at(s.people.cCreated[c]!, s.rD);
  const name = s.people.names[c]!;
  const contact = s.people.contacts[c]!;
  const key = nameKey(name);
  w.st.client.add(id, name, key, owner, contact, owner, createdAt);
  w.counts.clients++;
  w.row();
  w.audit(owner, 'client', id, id, 'created', null, { id, name, nameKey: key, ownerId: owner, contact, segment: null, createdBy: owner, createdAt }, createdAt);
  return createdAt;
}
