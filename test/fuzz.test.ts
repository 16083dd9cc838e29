/**
 * Fuzz over the wire: 240 seeded, generated slash commands through the real bot (Bolt HTTP
 * receiver, SQLite, migrations) and the Slack emulator, 8 at a time. Every one must be answered
 * with a 200 within Slack's 3 seconds, with words for the person — or, where a form opens
 * instead (`/contract new` with fields missing, `/contract edit`), an empty ack and a
 * `views.open`. Afterwards the bot is still healthy and still does its job.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../src/domain/stages.ts';
import { blockKitProblems, readable, startHarness, USERS, type Harness } from './helpers/harness.ts';

const SEED = 20_261_127;
const COUNT = 240;
const CONCURRENCY = 8;
const DEADLINE_MS = 3000;

const COMMANDS = ['/client', '/contract', '/dealdesk', '/invoice', '/delivery'] as const;
type Command = (typeof COMMANDS)[number];

// ------------------------------------------------------------------------------- generators

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZабвгдежзийклмнопрстуфхцчшщъьюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ'];
const word = fc.string({ unit: fc.constantFrom(...LETTERS), minLength: 1, maxLength: 9 });
const name = fc.oneof(
  fc.constantFrom('Acme Ltd', 'Елит Строй ЕООД', 'Nordwind GmbH', 'acme ltd', 'ЕЛИТ СТРОЙ ЕООД', '#1', '#2', '#3', '#999999999', 'Smith &amp; Sons'),
  fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' ')),
);

const HEADS: Record<Command, string[]> = {
  '/client': ['add', 'set', 'list', 'move', 'lost', 'history', 'show', 'help', 'ADD', 'Lis', 'mvoe', ''],
  '/contract': ['new', 'list', 'sign', 'edit', 'help', 'show', '#1', 'NEW', 'neww', ''],
  '/dealdesk': ['digest', 'help', 'DIGEST', 'digets', ''],
  '/invoice': ['add', 'list', 'list overdue', 'pay', 'promise', 'help', 'ADD', 'pya', ''],
  '/delivery': ['#1', '1', 'help', '#x', ''],
};
const KEYS: Record<Command, string[]> = {
  '/client': ['owner', 'contact', 'stage', 'segment', 'reason'],
  '/contract': ['amount', 'net', 'discount', 'kind', 'subject', 'settlement', 'delivery', 'aftersales', 'special'],
  '/dealdesk': ['approvals'],
  '/invoice': ['due', 'net', 'contract', 'margin', 'line', 'date', 'ref'],
  '/delivery': ['contract'],
};
const VALUES = [
  '12500 EUR', 'EUR 12,500.50', '1.2.3 EUR', '0 EUR', '-5 BGN', '12500', '99999999999999999999 JPY', '7,5 %', '101', '30', '366', '30d', 'goods', 'services', 'GOODS', 'other',
  'Steel beams, 40 t', 'Доставка до склад', '', 'me', 'ME', '<@U0SELLER2|maria>', '&lt;@U0SELLER2|maria&gt;', '<@U0SELLER>', '@maria', '<!channel>', ...STAGES, 'A', 'b', 'D',
  'approvals', 'pending', 'changes', 'signed', '#1', '#0',
];
const NOISE = ['&amp;', '&lt;', '&gt;', '"', '“Acme”', '«Елит»', ':', '\n', '\t', '\u00a0', '\u200b', '😀', '👨‍👩‍👧', 'е\u0301', '`', '*', '~', '|', '%', '\\', '${x}', 'toString'];

const value = fc.oneof(fc.constantFrom(...VALUES), word, fc.string({ unit: 'grapheme', maxLength: 10 }), fc.integer({ min: -10, max: 1_000_000 }).map(String));

function nearValid(command: Command): fc.Arbitrary<string> {
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...KEYS[command]), value).map(([k, v]) => `${k}:${v}`) },
    { weight: 2, arbitrary: name },
    { weight: 2, arbitrary: value },
    { weight: 1, arbitrary: fc.constantFrom(...NOISE) },
  );
  return fc
    .tuple(fc.constantFrom(...HEADS[command]), fc.array(fc.tuple(fc.constantFrom(' ', ' ', '  ', '\n', '\t'), token), { maxLength: 8 }))
    .map(([head, rest]) => head + rest.map(([s, t]) => s + t).join(''));
}

/** Well-formed commands that do real work (and, for /contract new, submit or open the form). */
const working: Record<Command, fc.Arbitrary<string>> = {
  '/client': fc.oneof(
    name.map((n) => `add ${n}`),
    fc.tuple(name, fc.constantFrom(...STAGES)).map(([n, s]) => `move ${n} ${s}`),
    fc.tuple(name, fc.array(word, { minLength: 1, maxLength: 4 })).map(([n, r]) => `lost ${n} ${r.join(' ')}`),
    name.map((n) => `history ${n}`),
    name,
    fc.constantFrom('list', 'list stage:lead', 'list segment:A owner:me', 'list owner:<@U0SELLER2|maria>'),
  ),
  '/contract': fc.oneof(
    fc
      .tuple(name, fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom('EUR', 'BGN', 'JPY', 'KWD'), fc.integer({ min: 0, max: 365 }), fc.constantFrom('goods', 'services'), fc.array(word, { minLength: 1, maxLength: 5 }), fc.subarray(['amount', 'net', 'kind', 'subject']))
      .map(([n, amount, cur, net, kind, subject, drop]) =>
        [`new ${n}`, `amount:${amount} ${cur}`, `net:${net}`, `kind:${kind}`, `subject:${subject.join(' ')}`].filter((p) => !drop.some((d) => p.startsWith(`${d}:`))).join(' '),
      ),
    fc.constantFrom('new', 'new Acme Ltd', 'new amount:100 EUR', 'list', 'list pending', 'list signed', 'help'),
    fc.integer({ min: 1, max: 8 }).chain((id) => fc.constantFrom(`#${id}`, `sign #${id}`, `edit #${id}`, `${id}`)),
  ),
  '/dealdesk': fc.constantFrom('', 'help', 'digest approvals', 'DIGEST Approvals', 'digest', 'digest nope'),
  '/invoice': fc.oneof(
    fc.tuple(name, fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom('EUR', 'BGN', 'JPY', 'KWD', 'XYZ'), fc.constantFrom('', ' net:30', ' due:2026-12-31', ' due:2026-02-30', ' contract:#1', ' margin:-50 line:steel')).map(
      ([n, a, c, extra]) => `add ${n} ${a} ${c}${extra}`,
    ),
    fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom('10', '0', '1,5', 'abc', '999999999')).map(([id, a]) => `pay #${id} ${a}`),
    fc.integer({ min: 1, max: 9 }).map((id) => `promise #${id} 2026-12-24`),
    fc.constantFrom('list', 'list overdue', 'list overdue Acme Ltd', 'list Acme Ltd', 'help'),
  ),
  '/delivery': fc.oneof(fc.integer({ min: 1, max: 9 }).map((id) => `#${id}`), fc.constantFrom('help', '', 'x')),
};

const randomText = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  // Long: near and over Slack's 4,000 characters.
  fc.tuple(fc.constantFrom('add ', 'lost ', 'new X subject:', 'list ', 'digest ', 'add X contact:', ''), fc.constantFrom('a', 'я ', 'Acme ', '😀'), fc.integer({ min: 3500, max: 4600 })).map(([head, unit, len]) => (head + unit.repeat(len)).slice(0, len)),
);

interface FuzzCase {
  command: Command;
  text: string;
  user: string;
}

const fuzzCase: fc.Arbitrary<FuzzCase> = fc.constantFrom(...COMMANDS).chain((command) =>
  fc.record({
    command: fc.constant(command),
    text: fc.oneof({ weight: 3, arbitrary: randomText }, { weight: 4, arbitrary: nearValid(command) }, { weight: 3, arbitrary: working[command] }),
    user: fc.constantFrom(USERS.seller, USERS.seller2, USERS.admin, USERS.legal),
  }),
);

// ------------------------------------------------------------------------------- the run

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Some clients and a contract for the generated commands to find.
  for (const text of ['add Acme Ltd', 'add Елит Строй ЕООД', 'add Nordwind GmbH', 'add Smith &amp; Sons']) {
    await h.emu.slashCommand({ command: '/client', text, user_id: USERS.seller });
  }
  await h.emu.slashCommand({ command: '/contract', text: 'new Acme Ltd amount:12500 EUR net:30 kind:goods subject:Steel beams', user_id: USERS.seller });
});
afterAll(async () => {
  await h?.close();
});

interface Outcome {
  c: FuzzCase;
  trigger: string;
  status: number;
  ms: number;
  body: any;
  text: string;
  error?: string;
}

const describeCase = (o: Outcome): string => `${o.c.command} ${JSON.stringify(o.c.text.length > 160 ? `${o.c.text.slice(0, 160)}…(${o.c.text.length})` : o.c.text)}`;

describe('fuzzed slash commands over the wire', () => {
  it(`answers ${COUNT} generated commands, ${CONCURRENCY} at a time, each within ${DEADLINE_MS} ms`, async () => {
    const cases = fc.sample(fuzzCase, { seed: SEED, numRuns: COUNT });
    expect(cases).toHaveLength(COUNT);
    expect(new Set(cases.map((c) => c.command)).size).toBe(COMMANDS.length);

    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i]!;
        const trigger = `fuzz.${SEED}.${i}`;
        const started = performance.now();
        try {
          const r = await h.emu.slashCommand({ command: c.command, text: c.text, user_id: c.user, trigger_id: trigger });
          outcomes.push({ c, trigger, status: r.status, ms: performance.now() - started, body: r.body, text: r.text });
        } catch (err) {
          outcomes.push({ c, trigger, status: 0, ms: performance.now() - started, body: undefined, text: '', error: String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(outcomes).toHaveLength(COUNT);

    const problems: string[] = [];
    let forms = 0;
    for (const o of outcomes) {
      const what = describeCase(o);
      if (o.error) problems.push(`${what}: request failed: ${o.error}`);
      if (o.status !== 200) problems.push(`${what}: status ${o.status} ${o.text.slice(0, 200)}`);
      if (o.ms > DEADLINE_MS) problems.push(`${what}: answered in ${Math.round(o.ms)} ms`);
      if (o.status !== 200) continue;
      if (o.text === '') {
        // An empty ack is right only where a form opens instead of an answer.
        if (o.c.command !== '/contract') {
          problems.push(`${what}: empty ack`);
          continue;
        }
        const opened = await h.emu.waitFor('views.open', (call) => call.args.trigger_id === o.trigger, DEADLINE_MS).catch(() => undefined);
        if (!opened) problems.push(`${what}: empty ack and no views.open with its trigger_id`);
        else if (opened.failed || opened.response?.ok === false) problems.push(`${what}: views.open failed: ${JSON.stringify(opened.response)}`);
        else forms++;
        continue;
      }
      if (typeof o.body !== 'object' || o.body === null) {
        problems.push(`${what}: answer is not JSON: ${o.text.slice(0, 200)}`);
        continue;
      }
      if (o.body.response_type !== 'ephemeral') problems.push(`${what}: response_type ${o.body.response_type}`);
      if (readable(o.body).trim() === '') problems.push(`${what}: answer without text: ${o.text.slice(0, 200)}`);
      for (const p of blockKitProblems(o.body)) problems.push(`${what}: Block Kit: ${p}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
    // The sample really exercised the form path as well as the answers.
    expect(forms).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.text !== '').length).toBeGreaterThan(COUNT / 2);
  });

  it('the bot is still healthy afterwards and still does its job', async () => {
    const health = await fetch(h.emu.botUrl.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);

    const added = await h.emu.slashCommand({ command: '/client', text: 'add Fuzz Survivor', user_id: USERS.seller });
    expect(added.status).toBe(200);
    expect(readable(added.body)).toMatch(/Added client \*#\d+ Fuzz Survivor\*/);
    const card = await h.emu.slashCommand({ command: '/client', text: 'Fuzz Survivor', user_id: USERS.seller });
    expect(card.status).toBe(200);
    expect(readable(card.body)).toContain('Fuzz Survivor');
    expect(readable(card.body)).toContain('Stage: lead');
  });

  it('logged no failed command and no unhandled error', () => {
    const bad = h.logs.filter((l) => /command failed|unhandled|\/contract failed/i.test(l));
    expect(bad, bad.join('\n').slice(0, 4000)).toEqual([]);
  });

  // A bug the property tests found (an object-literal lookup reading Object.prototype), fixed.
  it('`/contract list constructor` gets a usage answer, not "Something went wrong"', async () => {
    for (const text of ['list constructor', 'list __proto__']) {
      const r = await h.emu.slashCommand({ command: '/contract', text, user_id: USERS.seller });
      expect(r.status).toBe(200);
      expect(readable(r.body), text).toContain('is not a contract status');
    }
  });
});
