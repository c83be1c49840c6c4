import type { AclRule } from '../../api/admin-api-types.js';
import { describeError } from '@repopulse/web/api-error.js';
import type { PageContext, PageDefinition } from '../../page.js';
import { createDataTable } from '../../ui/data-table.js';
import { confirmAction, openDialog } from '../../ui/dialog.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { pageHeader, section } from '../../ui/page-header.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { aclRuleForm } from './acl-rule-form.js';

function rateLimit(rule: AclRule): string {
  return rule.rateLimitPerMinute
    ? `${rule.rateLimitPerMinute}/min, burst ${rule.rateLimitBurst ?? '—'}`
    : 'none';
}

function renderAclRules(outlet: HTMLElement, context: PageContext): void {
  const { api, announce } = context;
  const list = h('div', {}, loadingState('ACL rules'));

  const edit = (rule: AclRule) => {
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const form = aclRuleForm({
      rule,
      submitLabel: 'Save',
      buttons: cancel,
      async submit(fields) {
        await api.patch(`/acl-rules/${rule.id}`, fields);
        dialog.close();
        announce(`Rule ${fields.priority} saved`);
        load();
      },
    });
    const dialog = openDialog({ title: `Edit rule ${rule.priority}`, content: form.element });
    cancel.addEventListener('click', () => dialog.close());
    form.element.querySelector<HTMLElement>('input')?.focus();
  };

  const table = createDataTable<AclRule>({
    caption: 'ACL rules, in the order the proxy checks them',
    key: (rule) => rule.id,
    columns: [
      { header: 'Priority', cell: (rule) => String(rule.priority), className: 'number' },
      { header: 'Methods', cell: (rule) => rule.methods.join(', ') },
      { header: 'Path', cell: (rule) => h('code', {}, rule.pathPattern) },
      { header: 'Roles', cell: (rule) => rule.roles.join(', ') },
      { header: 'Rate limit', cell: rateLimit },
      { header: 'Description', cell: (rule) => rule.description || '—' },
      {
        header: 'Actions',
        cell: (rule) =>
          h(
            'div',
            { class: 'row-actions' },
            h(
              'button',
              { type: 'button', 'aria-label': `Edit rule ${rule.priority}`, onclick: () => edit(rule) },
              'Edit',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'aria-label': `Delete rule ${rule.priority}`,
                onclick: async () => {
                  const sure = await confirmAction({
                    title: 'Delete this rule?',
                    message: [
                      'Requests it allowed to ',
                      h('code', {}, rule.pathPattern),
                      ' fall through to the next matching rule, or are refused.',
                    ],
                    confirmLabel: 'Delete',
                    danger: true,
                  });
                  if (!sure) return;
                  api.delete(`/acl-rules/${rule.id}`).then(
                    () => (announce(`Rule ${rule.priority} deleted`), load()),
                    (error: unknown) => announce(`Could not delete: ${describeError(error)}`),
                  );
                },
              },
              'Delete',
            ),
          ),
      },
    ],
  });

  function load(): void {
    api.get<{ aclRules: AclRule[] }>('/acl-rules').then(
      ({ aclRules }) => {
        const ordered = [...aclRules].sort((a, b) => a.priority - b.priority);
        table.update(ordered);
        replaceChildren(
          list,
          ordered.length > 0 ? table.element : emptyState('No rules: the proxy refuses every request.'),
        );
      },
      (error: unknown) => replaceChildren(list, errorState(error, load)),
    );
  }

  const addForm = aclRuleForm({
    submitLabel: 'Add rule',
    async submit(fields) {
      await api.post('/acl-rules', fields);
      addForm.element.reset();
      announce(`Rule ${fields.priority} added`);
      load();
    },
  });

  replaceChildren(
    outlet,
    pageHeader(
      'ACL rules',
      'Which roles may call which paths at the proxy, and how often. Changes reach every proxy within seconds; take care not to lock admins out.',
    ),
    section('Rules', list),
    h(
      'section',
      { class: 'panel' },
      h('details', {}, h('summary', {}, h('h2', { class: 'inline' }, 'Add a rule')), addForm.element),
    ),
  );
  load();
}

export const aclRulesPage: PageDefinition = { path: 'acl-rules', title: 'ACL rules', render: renderAclRules };
