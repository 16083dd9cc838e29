/**
 * The layers of dealdesk (../shared/ARCHITECTURE.md), checked by `npm test` through dependency-cruiser.
 * Each rule's name is the sentence a breach prints: it says which layer reached where it must not.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-import-cycles',
      comment: 'Files in src/ and db/ never import each other in a circle: split the shared part into its own module.',
      severity: 'error',
      from: { path: '^(src|db)/' },
      to: { circular: true },
    },
    {
      name: 'domain-imports-only-domain',
      comment: 'The domain core is pure: no Slack, no database, no configuration, no clock. It imports only src/domain.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|db)/', pathNot: '^src/domain/' },
    },
    {
      name: 'books-import-only-domain',
      comment: 'The import and export of books (src/books) is pure like the domain: bytes and records in, records, plans and CSV bytes out; no database, Slack, configuration or clock. It imports only src/domain and src/books.',
      severity: 'error',
      from: { path: '^src/books/' },
      to: { path: '^(src|db)/', pathNot: '^src/(domain|books)/' },
    },
    {
      name: 'db-schema-imports-only-domain',
      comment: 'The drizzle schema takes its closed sets from src/domain and nothing else from src/.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'repos-import-only-db-domain-and-settings',
      comment: 'Repos are queries: they import db/, src/domain, src/policy, src/config and src/log, never services or surfaces.',
      severity: 'error',
      from: { path: '^src/repos/' },
      to: { path: '^src/', pathNot: '^src/(repos|domain)/|^src/(policy|config|log)\\.ts$' },
    },
    {
      name: 'services-know-no-surface',
      comment: 'Services take values and return values: they never import slack/, scheduler/, workers/ or workspace/.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/(slack|scheduler|workers|workspace|cli)/' },
    },
    {
      name: 'settings-import-no-layer',
      comment: 'config, policy and log are read by every layer, so they import only src/domain.',
      severity: 'error',
      from: { path: '^src/(policy|config|log)\\.ts$' },
      to: { path: '^(src|db)/', pathNot: '^src/domain/|^src/(policy|config|log)\\.ts$' },
    },
    {
      name: 'i18n-imports-only-domain',
      comment: 'The catalogs and their formatter are words and closed sets: src/i18n imports only src/domain (and its own files).',
      severity: 'error',
      from: { path: '^src/i18n/' },
      to: { path: '^(src|db)/', pathNot: '^src/(domain|i18n)/' },
    },
    {
      name: 'slack-ui-is-pure-views',
      comment: 'Views are pure functions of data: slack/ui takes the shapes of repo and service results as types only, and never calls a repo, a service, a worker or a Slack client.',
      severity: 'error',
      from: { path: '^src/slack/ui/' },
      to: { path: '^src/(repos|services|scheduler|workers|workspace|cli)/|^src/slack/(listeners|app|deps|outbox-sender)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'listeners-call-services-not-repos',
      comment: 'A handler is ack → parse → one service call → render; database access belongs to a service.',
      severity: 'error',
      from: { path: '^src/slack/listeners/' },
      to: { path: '^src/repos/|^db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'bot-reaches-workers-through-their-client',
      comment: 'The bot, the scheduler and the CLI talk to the analytics process through src/workers/client.ts and its task types, never its entry.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/workers/' },
      to: { path: '^src/workers/', pathNot: '^src/workers/(client|tasks)\\.ts$' },
    },
    {
      name: 'worker-client-knows-no-layer',
      comment: 'The bot-side worker client forks and talks to the child; it imports only task types (types only from services and slack).',
      severity: 'error',
      from: { path: '^src/workers/(client|tasks)\\.ts$' },
      to: { path: '^src/(slack|services|repos|scheduler|workspace)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'worker-child-builds-no-slack-app',
      comment: 'The analytics process runs services with the shared context builder (slack/context.ts) and renderers; it never loads the Bolt app, listeners or the outbox sender.',
      severity: 'error',
      from: { path: '^src/workers/child/' },
      to: { path: '^src/slack/', pathNot: '^src/slack/(context|notices)\\.ts$|^src/slack/ui/' },
    },
    {
      name: 'bot-code-never-imports-tests',
      comment: 'src/, db/ and scripts/ never import from test/.',
      severity: 'error',
      from: { path: '^(src|db|scripts)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
