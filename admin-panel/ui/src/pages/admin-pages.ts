import type { PageDefinition } from '../page.js';
import { aclRulesPage } from './acl-rules/acl-rules-page.js';
import { apiKeysPage } from './api-keys/api-keys-page.js';
import { auditPage } from './audit/audit-page.js';
import { crawlRunsPage } from './crawl-runs-page.js';
import { deadLettersPage } from './dead-letters/dead-letters-page.js';
import { queuesPage } from './queues-page.js';
import { rejectedEventsPage } from './rejected-events/rejected-events-page.js';
import { sourcesPage } from './sources/sources-page.js';
import { upstreamHealthPage } from './upstream-health-page.js';
import { usersPage } from './users/users-page.js';

/** The admin sections, in the navigation's order; the first is where `/admin/` lands. */
export const adminPages: readonly PageDefinition[] = [
  sourcesPage,
  crawlRunsPage,
  queuesPage,
  deadLettersPage,
  rejectedEventsPage,
  upstreamHealthPage,
  usersPage,
  apiKeysPage,
  aclRulesPage,
  auditPage,
];
