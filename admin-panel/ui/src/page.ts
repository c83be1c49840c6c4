import type { HttpClient } from '@repopulse/web/http-client.js';
import type { Identity } from '@repopulse/web/session.js';

/** What every page gets from the shell. */
export interface PageContext {
  /** The admin API (`/admin/api`), with the session's token. */
  api: HttpClient;
  identity: Identity;
  query: URLSearchParams;
  navigate(path: string): void;
  /** Says something to screen readers and shows it briefly (a polite live region). */
  announce(message: string): void;
  /** Runs when the page is left: stop polling, close what it opened. */
  onLeave(cleanup: () => void): void;
}

export interface PageDefinition {
  path: string;
  title: string;
  render(outlet: HTMLElement, context: PageContext): void;
}
