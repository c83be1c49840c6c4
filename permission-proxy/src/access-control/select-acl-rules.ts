import type { Queryable } from '@repopulse/core';
import type { AclRule } from './acl-rules.js';

export async function selectAclRules(queryable: Queryable): Promise<AclRule[]> {
  const { rows } = await queryable.query<{
    id: string;
    priority: number;
    methods: string[];
    path_pattern: string;
    roles: string[];
    rate_limit_per_minute: number | null;
    rate_limit_burst: number | null;
    description: string;
  }>(
    `SELECT acl_rules.id, acl_rules.priority, acl_rules.methods, acl_rules.path_pattern, acl_rules.roles,
            acl_rules.rate_limit_per_minute, acl_rules.rate_limit_burst, acl_rules.description
     FROM acl_rules ORDER BY acl_rules.priority`,
  );
  return rows.map((row) => ({
    id: String(row.id),
    priority: row.priority,
    methods: row.methods.map((method) => method.toUpperCase()),
    pathPattern: row.path_pattern,
    roles: row.roles,
    rateLimitPerMinute: row.rate_limit_per_minute,
    rateLimitBurst: row.rate_limit_burst,
    description: row.description,
  }));
}
