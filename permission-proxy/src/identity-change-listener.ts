import {
  createNotificationListener,
  identityChangesChannel,
  parseIdentityChange,
  type Logger,
  type NotificationListener,
} from '@repopulse/core';
import type { AclCache } from './access-control/acl-cache.js';
import type { ApiKeyLookup } from './authentication/api-key-lookup.js';
import type { UserLookup } from './authentication/user-lookup.js';

export interface IdentityCaches {
  users: Pick<UserLookup, 'forget' | 'clear'>;
  apiKeys: Pick<ApiKeyLookup, 'forget' | 'clear'>;
  acl: Pick<AclCache, 'invalidate'>;
}

function clearAll(caches: IdentityCaches): void {
  caches.users.clear();
  caches.apiKeys.clear();
  caches.acl.invalidate();
}

/** Drops what one notification (migration 0017's triggers) says has changed. */
export function applyIdentityChange(caches: IdentityCaches, payload: string): void {
  const change = parseIdentityChange(payload);
  if (!change) clearAll(caches);
  else if (change.table === 'users') caches.users.forget(change.id);
  else if (change.table === 'api_keys') caches.apiKeys.forget(change.id);
  else caches.acl.invalidate();
}

/**
 * Every replica hears every change to users, API keys and ACL rules, whichever writer made it (the
 * triggers of migration 0017 notify), and drops the cached entries at once: a revocation bites on every
 * replica within the notification's delivery, milliseconds. On every (re)connection everything cached is
 * dropped, since notifications sent while nobody listened are lost; the caches' TTLs remain the fallback
 * for a connection that died unnoticed.
 */
export function createIdentityChangeListener(options: {
  /** DATABASE_URL, the primary: LISTEN needs a session of its own. */
  databaseUrl: string;
  caches: IdentityCaches;
  logger: Logger;
}): NotificationListener {
  return createNotificationListener({
    url: options.databaseUrl,
    channels: [identityChangesChannel],
    applicationName: 'permission-proxy notifications',
    logger: options.logger,
    onNotification: (_channel, payload) => applyIdentityChange(options.caches, payload),
    onConnected: () => clearAll(options.caches),
  });
}
