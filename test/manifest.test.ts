import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
// ajv is CommonJS: under NodeNext a default import is typed as the whole module (not constructable),
// while the named `Ajv` export is both typed as the class and a real named export at runtime
// (dist/ajv.js sets `module.exports.Ajv`). The plain `Ajv` class targets draft-07, the schema's draft.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifestPath = resolve(repoRoot, 'manifest.yml');
// Slack's published schema (slackapi/manifest-schema, MIT), vendored so the test needs nothing
// outside the repo; where the workplace's shared/ copy sits beside the clone, a test below checks
// the vendored one still matches it.
const schemaPath = resolve(repoRoot, 'test/fixtures/slack/manifest.schema.1.0.0.json');
const sharedSchemaPath = resolve(repoRoot, '../shared/slack/manifest.schema.1.0.0.json');

const EXPECTED_COMMANDS = ['/client', '/contract', '/invoice', '/delivery', '/funnel', '/abc', '/dealdesk'];
// Exactly what dealdesk needs; channels:read is deliberately absent (see the comment in manifest.yml).
const EXPECTED_BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'im:write',
  'users:read',
  'usergroups:read',
  'files:write',
  'files:read',
];
const PLACEHOLDER_URL = 'https://example.com/slack/events';

interface SlashCommand {
  command?: unknown;
  url?: string;
  description?: string;
  usage_hint?: string;
  should_escape?: boolean;
}
interface Manifest {
  display_information: { name: string; description?: string; long_description?: string; background_color?: string };
  features: {
    bot_user: { display_name: string; always_online?: boolean };
    app_home: Record<string, boolean>;
    slash_commands: SlashCommand[];
  };
  oauth_config: { scopes: { bot: unknown[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url?: string };
    event_subscriptions: { request_url?: string; bot_events: string[] };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

function makeValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // Strict mode stays on, so a typo'd keyword in *our* additions would still throw. Slack's schema,
  // though, carries two non-standard keywords that strict mode rejects at compile time:
  //  - `_note`: documentation only, declared as a no-op keyword;
  //  - `regex`: on display_information.background_color, where `pattern` was evidently meant. Plain
  //    JSON Schema ignores it (so "red" would pass); we implement it so the colour is really checked.
  // strictTypes is off only because external_auth_providers' `scope.items` puts a no-op `minItems: 0`
  // on a string schema (meant for the array), which would otherwise log a warning on every run.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addKeyword({ keyword: '_note' });
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  // `format: "uri"` (the optional top-level `$schema` property) is not built into ajv 8, and
  // ajv-formats is not installed (no new dependencies). Strict mode throws on unknown formats,
  // so register a small one: an absolute URI with a scheme, as WHATWG URL parses it.
  ajv.addFormat('uri', {
    type: 'string',
    validate: (s: string) => {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(s)) return false;
      try {
        new URL(s);
        return true;
      } catch {
        return false;
      }
    },
  });
  return ajv.compile(schema);
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

const rawYaml = readFileSync(manifestPath, 'utf8');
const doc = parseDocument(rawYaml);
const manifest = doc.toJS() as Manifest;
const validate = makeValidator();

describe('manifest.yml', () => {
  it.skipIf(!existsSync(sharedSchemaPath))("uses the same schema as the workplace's shared copy", () => {
    expect(readFileSync(schemaPath, 'utf8')).toBe(readFileSync(sharedSchemaPath, 'utf8'));
  });

  it('parses as YAML without errors or warnings', () => {
    expect(doc.errors.map(String)).toEqual([]);
    expect(doc.warnings.map(String)).toEqual([]);
  });

  it("validates against Slack's manifest schema", () => {
    const ok = validate(manifest);
    expect(ok, formatErrors(validate.errors)).toBe(true);
  });

  it('has the display information and bot user', () => {
    expect(manifest.display_information.name).toBe('dealdesk');
    expect(manifest.display_information.description).toMatch(/funnel, contracts approved by legal and finance/);
    expect(manifest.display_information.long_description!.length).toBeGreaterThanOrEqual(175);
    expect(manifest.features.bot_user).toEqual({ display_name: 'dealdesk', always_online: true });
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      // Writable since the import: a CSV is shared in the DM (SPEC §6).
      messages_tab_read_only_enabled: false,
    });
  });

  it('declares every slash command exactly once, escaped, with a hint, description and url', () => {
    const commands = manifest.features.slash_commands;
    const names = commands.map((c) => c.command);
    for (const name of EXPECTED_COMMANDS) {
      expect(names.filter((n) => n === name), name).toHaveLength(1);
    }
    expect([...names].sort()).toEqual([...EXPECTED_COMMANDS].sort());
    for (const c of commands) {
      expect(c.should_escape, String(c.command)).toBe(true);
      expect(c.usage_hint, String(c.command)).toBeTruthy();
      expect(c.description, String(c.command)).toBeTruthy();
      expect(c.url, String(c.command)).toBe(PLACEHOLDER_URL);
    }
    // usage hints contain " #id"; unquoted, YAML would have cut them off as comments.
    expect(commands.find((c) => c.command === '/client')?.usage_hint).toBe(
      'add <name> | set <name or #id> [owner:] [contact:] [eik:] [vat:] [industry:] [region:] [size:] | <name, #id or eik:> | list [sort:fit] | move | lost | review | history | help',
    );
  });

  it('requests exactly the needed bot scopes, each with a comment on its own line', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(EXPECTED_BOT_SCOPES);
    expect(manifest.oauth_config.scopes.bot).not.toContain('channels:read');

    const botSeq = doc.getIn(['oauth_config', 'scopes', 'bot'], true);
    expect(isSeq(botSeq)).toBe(true);
    if (!isSeq(botSeq)) return;
    for (const item of botSeq.items) {
      expect(isScalar(item)).toBe(true);
      if (!isScalar(item) || !item.range) continue;
      // The raw source line holding this scope must carry a non-empty `# ...` comment after it.
      const lineStart = rawYaml.lastIndexOf('\n', item.range[0]) + 1;
      const lineEnd = rawYaml.indexOf('\n', item.range[0]);
      const line = rawYaml.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
      expect(line, `scope line: ${line}`).toMatch(new RegExp(`^\\s*-\\s*${String(item.value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+#\\s*\\S`));
    }
  });

  it('subscribes to app_home_opened and configures Socket Mode and interactivity', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.settings.event_subscriptions.bot_events).toContain('file_shared');
    expect(manifest.settings.event_subscriptions.request_url).toBe(PLACEHOLDER_URL);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: PLACEHOLDER_URL });
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.org_deploy_enabled).toBe(false);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });

  describe('the validator can fail', () => {
    const broken = (): Manifest => structuredClone(manifest);

    it('rejects a slash command without a `command` key', () => {
      const m = broken();
      delete m.features.slash_commands[0]!.command;
      expect(validate(m)).toBe(false);
      expect(validate.errors).toContainEqual(
        expect.objectContaining({
          instancePath: '/features/slash_commands/0',
          keyword: 'required',
          params: { missingProperty: 'command' },
        }),
      );
    });

    it('rejects a bot scope that is not a string', () => {
      const m = broken();
      m.oauth_config.scopes.bot.push(42);
      expect(validate(m)).toBe(false);
      expect(validate.errors).toContainEqual(
        expect.objectContaining({ instancePath: `/oauth_config/scopes/bot/${EXPECTED_BOT_SCOPES.length}`, keyword: 'type' }),
      );
    });

    it('rejects a too-short long_description, an unknown key and a non-hex colour', () => {
      const m = broken() as Manifest & { display_information: { colour?: string } };
      m.display_information.long_description = 'too short';
      m.display_information.background_color = 'red';
      m.display_information.colour = '#fff';
      expect(validate(m)).toBe(false);
      const keywords = (validate.errors ?? []).map((e) => e.keyword);
      expect(keywords).toEqual(expect.arrayContaining(['minLength', 'additionalProperties', 'regex']));
    });
  });
});
