import { ConflictError, type Queryable } from '@repopulse/core';

export interface AclRuleFields {
  priority: number;
  methods: string[];
  pathPattern: string;
  roles: string[];
  rateLimitPerMinute: number | null;
  rateLimitBurst: number | null;
  description: string;
}

export interface AclRuleRecord extends AclRuleFields {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

const columns = `acl_rules.id::text AS id, acl_rules.priority, acl_rules.methods,
  acl_rules.path_pattern AS "pathPattern", acl_rules.roles,
  acl_rules.rate_limit_per_minute AS "rateLimitPerMinute", acl_rules.rate_limit_burst AS "rateLimitBurst",
  acl_rules.description, acl_rules.created_at AS "createdAt", acl_rules.updated_at AS "updatedAt"`;

function conflictOnDuplicatePriority(error: unknown, priority: number): never {
  if ((error as { code?: string }).code === '23505') {
    throw new ConflictError(
      `Another rule has priority ${priority}; priorities order the rules and are unique`,
    );
  }
  throw error;
}

/** In the order the proxy tries them. */
export async function listAclRules(database: Queryable): Promise<AclRuleRecord[]> {
  const { rows } = await database.query<AclRuleRecord>(
    `SELECT ${columns} FROM acl_rules ORDER BY acl_rules.priority`,
  );
  return rows;
}

/** Locked until the transaction ends, so two admins' edits of one rule do not overwrite each other's. */
export async function lockAclRule(database: Queryable, id: string): Promise<AclRuleRecord | undefined> {
  const { rows } = await database.query<AclRuleRecord>(
    `SELECT ${columns} FROM acl_rules WHERE acl_rules.id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

export async function insertAclRule(database: Queryable, rule: AclRuleFields): Promise<AclRuleRecord> {
  try {
    const { rows } = await database.query<AclRuleRecord>(
      `INSERT INTO acl_rules (priority, methods, path_pattern, roles, rate_limit_per_minute, rate_limit_burst, description)
       VALUES ($1, $2::text[], $3, $4::text[], $5, $6, $7) RETURNING ${columns}`,
      [
        rule.priority,
        rule.methods,
        rule.pathPattern,
        rule.roles,
        rule.rateLimitPerMinute,
        rule.rateLimitBurst,
        rule.description,
      ],
    );
    return rows[0]!;
  } catch (error) {
    conflictOnDuplicatePriority(error, rule.priority);
  }
}

/** Writes the whole rule (the caller merged the change). */
export async function updateAclRule(
  database: Queryable,
  id: string,
  rule: AclRuleFields,
): Promise<AclRuleRecord> {
  try {
    const { rows } = await database.query<AclRuleRecord>(
      `UPDATE acl_rules SET priority = $2, methods = $3::text[], path_pattern = $4, roles = $5::text[],
              rate_limit_per_minute = $6, rate_limit_burst = $7, description = $8, updated_at = now()
        WHERE acl_rules.id = $1 RETURNING ${columns}`,
      [
        id,
        rule.priority,
        rule.methods,
        rule.pathPattern,
        rule.roles,
        rule.rateLimitPerMinute,
        rule.rateLimitBurst,
        rule.description,
      ],
    );
    return rows[0]!;
  } catch (error) {
    conflictOnDuplicatePriority(error, rule.priority);
  }
}

export async function deleteAclRule(database: Queryable, id: string): Promise<void> {
  await database.query(`DELETE FROM acl_rules WHERE acl_rules.id = $1`, [id]);
}
