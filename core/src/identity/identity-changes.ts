/**
 * What migration 0017's triggers announce on every change to users, API keys and ACL rules, whoever
 * made it: the proxy listens and drops what it cached about that row.
 */
export const identityChangesChannel = 'identity_changes';

export type IdentityChange =
  | { table: 'users' | 'api_keys'; id: string }
  /** The ACL is reloaded whole; the trigger fires once per statement, without an id. */
  | { table: 'acl_rules' };

/** The change a notification names; undefined for a payload it cannot read (then drop everything). */
export function parseIdentityChange(payload: string): IdentityChange | undefined {
  let parsed: { table?: unknown; id?: unknown };
  try {
    parsed = JSON.parse(payload) as { table?: unknown; id?: unknown };
  } catch {
    return undefined;
  }
  if (parsed?.table === 'acl_rules') return { table: 'acl_rules' };
  if ((parsed?.table === 'users' || parsed?.table === 'api_keys') && typeof parsed.id === 'string')
    return { table: parsed.table, id: parsed.id };
  return undefined;
}
