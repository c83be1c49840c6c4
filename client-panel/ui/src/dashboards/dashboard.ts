import type { HttpClient, Query } from '@repopulse/web/http-client.js';
import type { Route } from '../router.js';

/** What `<main data-state>` says, for people's eyes (styles), tests and the dashboards benchmark. */
export type ViewState = 'loading' | 'ready' | 'empty' | 'error';

/** What every dashboard gets from the shell. */
export interface DashboardContext {
  /** The output gateway's read API (`/api/v1` at the proxy), with the session's token. */
  api: HttpClient;
  route: Route;
  /** Writes what the view shows into the URL (the deep link); `push` makes it a step in the history. */
  record(path: string, query: Query, options?: { push?: boolean }): void;
  /** Goes to another view. */
  navigate(url: string): void;
  setState(state: ViewState): void;
  setTitle(title: string): void;
  /** Says something to screen readers and shows it briefly (a polite live region). */
  announce(message: string): void;
  /** Runs when the view is left: destroy charts, forget pending answers. */
  onLeave(cleanup: () => void): void;
  /** False once the view was left: an answer arriving later must not draw. */
  isCurrent(): boolean;
}

export interface Dashboard {
  render(main: HTMLElement, context: DashboardContext): void;
}
