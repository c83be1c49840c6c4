import {
  createRouter,
  compileValidator,
  jsonBody,
  NotFoundError,
  recordAudit,
  type Database,
  type Queryable,
} from '@repopulse/core';
import { type Router, type Request } from 'express';
import { adminChange } from '../http/admin-identity.js';
import { rowIdOf } from '../http/row-id.js';
import { checkAclRule, refuseAdminLockout } from './acl-rule-checks.js';
import {
  aclRuleChangeSchema,
  newAclRuleSchema,
  type AclRuleChange,
  type NewAclRule,
} from './acl-rule-schema.js';
import {
  deleteAclRule,
  insertAclRule,
  listAclRules,
  lockAclRule,
  updateAclRule,
  type AclRuleFields,
  type AclRuleRecord,
} from './acl-rule-store.js';

const bodyLimitBytes = 16 * 1024;

function aclRuleView(rule: AclRuleRecord) {
  return { ...rule, createdAt: rule.createdAt.toISOString(), updatedAt: rule.updatedAt.toISOString() };
}

function fieldsOf(rule: AclRuleRecord): AclRuleFields {
  const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = rule;
  return fields;
}

/**
 * `GET|POST /api/acl-rules`, `PATCH|DELETE /api/acl-rules/{id}`: the permission proxy's ACL. Every
 * proxy replica re-reads it every ACL_CACHE_TTL_MS, so an edit takes effect within that time.
 */
export function aclRulesRoutes(options: { database: Database }): Router {
  const { database } = options;
  const validateNew = compileValidator<NewAclRule>(newAclRuleSchema, 'The rule');
  const validateChange = compileValidator<AclRuleChange>(aclRuleChangeSchema, 'The change');
  const router = createRouter();

  /** Runs the change, then checks admins can still get in before it commits. */
  async function change(
    request: Request,
    action: string,
    work: (transaction: Queryable) => Promise<AclRuleRecord | undefined>,
  ): Promise<AclRuleRecord | undefined> {
    return database.transaction(async (transaction) => {
      const rule = await work(transaction);
      if (!rule) return undefined;
      refuseAdminLockout(await listAclRules(transaction));
      await recordAudit(transaction, [
        adminChange(request, action, `acl-rule:${rule.id}`, { ...fieldsOf(rule) }),
      ]);
      return rule;
    });
  }

  router.get('/api/acl-rules', async (_request, response) => {
    response.json({ aclRules: (await listAclRules(database)).map(aclRuleView) });
  });

  router.post('/api/acl-rules', ...jsonBody({ limit: bodyLimitBytes }), async (request, response) => {
    const fields = checkAclRule({
      rateLimitPerMinute: null,
      rateLimitBurst: null,
      description: '',
      ...validateNew(request.body),
    });
    const created = await change(request, 'acl-rule.create', (transaction) =>
      insertAclRule(transaction, fields),
    );
    response.status(201).location(`/api/acl-rules/${created!.id}`).json(aclRuleView(created!));
  });

  router.patch('/api/acl-rules/:id', ...jsonBody({ limit: bodyLimitBytes }), async (request, response) => {
    const id = rowIdOf(request, 'ACL rule');
    const edit = validateChange(request.body);
    const updated = await change(request, 'acl-rule.update', async (transaction) => {
      const current = await lockAclRule(transaction, id);
      if (!current) return undefined;
      return updateAclRule(transaction, id, checkAclRule({ ...fieldsOf(current), ...edit }));
    });
    if (!updated) throw new NotFoundError(`There is no ACL rule ${id}`);
    response.json(aclRuleView(updated));
  });

  router.delete('/api/acl-rules/:id', async (request, response) => {
    const id = rowIdOf(request, 'ACL rule');
    const deleted = await change(request, 'acl-rule.delete', async (transaction) => {
      const current = await lockAclRule(transaction, id);
      if (current) await deleteAclRule(transaction, id);
      return current;
    });
    if (!deleted) throw new NotFoundError(`There is no ACL rule ${id}`);
    response.status(204).end();
  });

  return router;
}
