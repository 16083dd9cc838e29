import type { App } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { withBoundary } from './boundary.ts';
import { registerClientActions } from './actions/client.ts';
import { registerContractActions } from './actions/contract.ts';
import { registerClientCommand } from './commands/client.ts';
import { registerContractCommand } from './commands/contract.ts';
import { registerDealdeskCommand } from './commands/dealdesk.ts';
import { registerInvoiceCommands } from './commands/invoice.ts';
import { registerInvoiceActions } from './actions/invoice.ts';
import { registerAnalyticsCommands } from './commands/analytics.ts';
import { registerHome } from './events/home.ts';
import { registerImport } from './events/files.ts';
import { registerClientViews } from './views/client.ts';
import { registerContractViews } from './views/contract.ts';

/** Routing table: every command, action and view the bot answers. */
export function registerListeners(bolt: App, deps: Deps): void {
  // Every listener below is registered through the one error boundary.
  const app = withBoundary(bolt, deps.logger, (userId) => deps.languages.of(userId));
  registerClientCommand(app, deps);
  registerClientActions(app, deps);
  registerClientViews(app, deps);
  registerContractCommand(app, deps);
  registerContractActions(app, deps);
  registerContractViews(app, deps);
  registerDealdeskCommand(app, deps);
  registerInvoiceCommands(app, deps);
  registerInvoiceActions(app, deps);
  registerAnalyticsCommands(app, deps);
  registerHome(app, deps);
  registerImport(app, deps);
}
