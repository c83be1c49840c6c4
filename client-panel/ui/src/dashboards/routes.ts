import type { Route } from '../router.js';
import type { Dashboard } from './dashboard.js';

/** A view of the URL space: which dashboard draws it, loaded on demand (one chunk per dashboard). */
export interface View {
  /** The navigation entry it belongs to (`aria-current`). */
  section: 'trends' | 'compare' | 'search' | 'organization' | 'repository' | 'not-found';
  load(): Promise<Dashboard>;
}

const views = {
  organization: () =>
    import('./organization/organization-dashboard.js').then((module) => module.organizationDashboard),
  repository: () =>
    import('./repository/repository-dashboard.js').then((module) => module.repositoryDashboard),
  trends: () => import('./trends/trends-dashboard.js').then((module) => module.trendsDashboard),
  compare: () => import('./compare/compare-dashboard.js').then((module) => module.compareDashboard),
  search: () => import('./search/search-page.js').then((module) => module.searchPage),
  notFound: () => import('./not-found-page.js').then((module) => module.notFoundPage),
};

/**
 * `/organizations/<owner>`, `/repositories/<owner>/<name>`, `/trends`, `/compare`, `/search`; `/` shows
 * the trends. Anything else says there is no such page.
 */
export function viewFor(route: Route): View {
  const [first, ...rest] = route.segments;
  if (first === undefined || (first === 'trends' && rest.length === 0))
    return { section: 'trends', load: views.trends };
  if (first === 'organizations' && rest.length === 1)
    return { section: 'organization', load: views.organization };
  if (first === 'repositories' && rest.length === 2) return { section: 'repository', load: views.repository };
  if (first === 'compare' && rest.length === 0) return { section: 'compare', load: views.compare };
  if (first === 'search' && rest.length === 0) return { section: 'search', load: views.search };
  return { section: 'not-found', load: views.notFound };
}
