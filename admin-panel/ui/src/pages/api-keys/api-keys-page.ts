import { roles, type ApiKey } from '../../api/admin-api-types.js';
import { describeError, type FieldError } from '@repopulse/web/api-error.js';
import type { PageContext, PageDefinition } from '../../page.js';
import { createDataTable } from '../../ui/data-table.js';
import { confirmAction } from '../../ui/dialog.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { createForm } from '@repopulse/web/form.js';
import { selectField, textField } from '@repopulse/web/form-fields.js';
import { formatDateTime, localInputToIso } from '../../ui/format.js';
import { pageHeader, section } from '../../ui/page-header.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { statusBadge } from '../../ui/status-badge.js';
import { newKeyPanel } from './new-key-panel.js';

function keyStatus(key: ApiKey): string {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

function createKeyForm(
  context: PageContext,
  onCreated: (name: string, key: string) => void,
): HTMLFormElement {
  const name = textField({
    name: 'name',
    label: 'Name',
    required: true,
    hint: 'What uses it, e.g. “nightly export”.',
  });
  const role = selectField({
    name: 'role',
    label: 'Role',
    options: roles.map((value) => [value, value] as const),
    value: 'analyst',
  });
  const expiresAt = textField({
    name: 'expiresAt',
    label: 'Expires (optional)',
    type: 'datetime-local',
    hint: 'In your local time. Empty: until revoked.',
  });
  const validate = (): FieldError[] => {
    const problems: FieldError[] = [];
    const text = name.control.value.trim();
    if (text === '') problems.push({ path: '/name', message: 'is required' });
    else if (text.length > 200) problems.push({ path: '/name', message: 'must have at most 200 characters' });
    if (expiresAt.control.value) {
      const iso = localInputToIso(expiresAt.control.value);
      if (!iso) problems.push({ path: '/expiresAt', message: 'is not a date and time' });
      else if (new Date(iso).getTime() <= Date.now())
        problems.push({ path: '/expiresAt', message: 'must be in the future' });
    }
    return problems;
  };
  return createForm({
    fields: [name, role, expiresAt],
    submitLabel: 'Create key',
    label: 'Create an API key',
    className: 'form form-grid',
    validate,
    async submit() {
      const expires = localInputToIso(expiresAt.control.value);
      const created = await context.api.post<ApiKey & { key: string }>('/api-keys', {
        name: name.control.value.trim(),
        role: role.control.value,
        ...(expires ? { expiresAt: expires } : {}),
      });
      name.control.value = '';
      expiresAt.control.value = '';
      onCreated(created.name, created.key);
    },
  }).element;
}

function renderApiKeys(outlet: HTMLElement, context: PageContext): void {
  const { api, announce } = context;
  const list = h('div', {}, loadingState('API keys'));
  const created = h('div', {});
  const table = createDataTable<ApiKey>({
    caption: 'API keys',
    key: (key) => key.id,
    columns: [
      { header: 'Name', cell: (key) => h('strong', {}, key.name) },
      { header: 'Role', cell: (key) => key.role },
      { header: 'Key starts', cell: (key) => h('code', {}, `${key.prefix}…`) },
      { header: 'Status', cell: (key) => statusBadge(keyStatus(key)) },
      { header: 'Created', cell: (key) => formatDateTime(key.createdAt) },
      { header: 'Expires', cell: (key) => (key.expiresAt ? formatDateTime(key.expiresAt) : 'never') },
      { header: 'Last used', cell: (key) => (key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'never') },
      {
        header: 'Actions',
        cell: (key) =>
          key.revokedAt
            ? h('span', { class: 'muted small' }, `Revoked ${formatDateTime(key.revokedAt)}`)
            : h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': `Revoke ${key.name}`,
                  onclick: async () => {
                    const sure = await confirmAction({
                      title: 'Revoke this key?',
                      message: ['Requests with ', h('strong', {}, key.name), ' will be refused from now on.'],
                      confirmLabel: 'Revoke',
                      danger: true,
                    });
                    if (!sure) return;
                    api.delete(`/api-keys/${key.id}`).then(
                      () => (announce(`${key.name} revoked`), load()),
                      (error: unknown) => announce(`Could not revoke: ${describeError(error)}`),
                    );
                  },
                },
                'Revoke',
              ),
      },
    ],
  });

  function load(): void {
    api.get<{ apiKeys: ApiKey[] }>('/api-keys').then(
      ({ apiKeys }) => {
        table.update(apiKeys);
        replaceChildren(list, apiKeys.length > 0 ? table.element : emptyState('No API keys yet.'));
      },
      (error: unknown) => replaceChildren(list, errorState(error, load)),
    );
  }

  const form = createKeyForm(context, (name, key) => {
    replaceChildren(
      created,
      newKeyPanel({ name, key, announce, onDismiss: () => form.querySelector('input')?.focus() }),
    );
    created.querySelector<HTMLInputElement>('input')?.select();
    created.querySelector<HTMLInputElement>('input')?.focus();
    announce(`Key ${name} created: copy it now, it is shown only once`);
    load();
  });

  replaceChildren(
    outlet,
    pageHeader(
      'API keys',
      'Keys for scripts and services, each with one role. A key is shown once, then stored hashed.',
    ),
    section('Create an API key', form, created),
    section('API keys', list),
  );
  load();
}

export const apiKeysPage: PageDefinition = { path: 'api-keys', title: 'API keys', render: renderApiKeys };
