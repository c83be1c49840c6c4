import { roles, type User } from '../../api/admin-api-types.js';
import { describeError } from '@repopulse/web/api-error.js';
import type { PageContext, PageDefinition } from '../../page.js';
import { createDataTable } from '../../ui/data-table.js';
import { confirmAction } from '../../ui/dialog.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { createForm } from '@repopulse/web/form.js';
import { checkboxGroupField, textField } from '@repopulse/web/form-fields.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { pageHeader, section } from '../../ui/page-header.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { statusBadge } from '../../ui/status-badge.js';
import { openUserEditDialog } from './user-edit-dialog.js';
import { passwordProblems, rolesProblems, usernameProblems } from './user-rules.js';

const roleHints = 'admin: this panel; analyst: the read API and dashboards; supplier: the ingest API.';

function addUserForm(context: PageContext, onAdded: () => void): HTMLFormElement {
  const username = textField({ name: 'username', label: 'Username', required: true, autocomplete: 'off' });
  const password = textField({
    name: 'password',
    label: 'Password',
    type: 'password',
    required: true,
    autocomplete: 'new-password',
    hint: 'At least 8 characters.',
  });
  const roleField = checkboxGroupField({
    name: 'roles',
    label: 'Roles',
    hint: roleHints,
    options: roles.map((role) => [role, role] as const),
    checked: ['analyst'],
  });
  return createForm({
    fields: [username, password, roleField],
    submitLabel: 'Add user',
    label: 'Add a user',
    className: 'form form-grid',
    validate: () => [
      ...usernameProblems(username.control.value.trim()),
      ...passwordProblems(password.control.value, true),
      ...rolesProblems(roleField.values()),
    ],
    async submit() {
      const user = await context.api.post<User>('/users', {
        username: username.control.value.trim(),
        password: password.control.value,
        roles: roleField.values(),
      });
      username.control.value = '';
      password.control.value = '';
      context.announce(`User ${user.username} added`);
      onAdded();
    },
  }).element;
}

/** Active, disabled, and whether the proxy refused logins for guessing at the password lately. */
function statusCell(user: User): HTMLElement {
  const status = statusBadge(user.disabled ? 'disabled' : 'active');
  const throttle = user.loginThrottle;
  if (!throttle) return status;
  const ongoing = new Date(throttle.until).getTime() > Date.now();
  return h(
    'div',
    {},
    status,
    ' ',
    h(
      'span',
      { class: 'badge', 'data-status': 'denied' },
      ongoing ? 'password guessed at' : 'was guessed at',
    ),
    h(
      'div',
      { class: 'hint' },
      `${formatNumber(throttle.refusedAttempts)} logins refused since ${formatDateTime(throttle.since)}, `,
      `${ongoing ? 'until' : 'ended'} ${formatDateTime(throttle.until)}`,
    ),
  );
}

async function signOutEverywhere(context: PageContext, user: User, reload: () => void): Promise<void> {
  const sure = await confirmAction({
    title: 'Sign this user out everywhere?',
    message: [
      'Every token ',
      h('strong', {}, user.username),
      ' holds stops working at once, on every device; they can log in again.',
    ],
    confirmLabel: 'Sign out everywhere',
    danger: true,
  });
  if (!sure) return;
  context.api.post(`/users/${user.id}/sign-out`).then(
    () => (context.announce(`${user.username} signed out everywhere`), reload()),
    (error: unknown) => context.announce(`Could not sign out: ${describeError(error)}`),
  );
}

function renderUsers(outlet: HTMLElement, context: PageContext): void {
  const { api, announce } = context;
  const list = h('div', {}, loadingState('users'));
  const table = createDataTable<User>({
    caption: 'Users',
    key: (user) => user.id,
    columns: [
      { header: 'Username', cell: (user) => h('strong', {}, user.username) },
      { header: 'Roles', cell: (user) => user.roles.join(', ') || '—' },
      { header: 'Status', cell: statusCell },
      { header: 'Created', cell: (user) => formatDateTime(user.createdAt) },
      {
        header: 'Actions',
        cell: (user) =>
          h(
            'div',
            { class: 'row-actions' },
            h(
              'button',
              {
                type: 'button',
                'aria-label': `Edit ${user.username}`,
                onclick: () =>
                  openUserEditDialog({
                    api,
                    user,
                    onSaved: () => (announce(`${user.username} saved`), load()),
                  }),
              },
              'Edit',
            ),
            h(
              'button',
              {
                type: 'button',
                'aria-label': `Sign ${user.username} out everywhere`,
                onclick: () => void signOutEverywhere(context, user, load),
              },
              'Sign out everywhere',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'aria-label': `Delete ${user.username}`,
                onclick: async () => {
                  const sure = await confirmAction({
                    title: 'Delete this user?',
                    message: ['Delete ', h('strong', {}, user.username), '? They can no longer log in.'],
                    confirmLabel: 'Delete',
                    danger: true,
                  });
                  if (!sure) return;
                  api.delete(`/users/${user.id}`).then(
                    () => (announce(`${user.username} deleted`), load()),
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
    api.get<{ users: User[] }>('/users').then(
      ({ users }) => {
        table.update(users);
        replaceChildren(list, users.length > 0 ? table.element : emptyState('No users.'));
      },
      (error: unknown) => replaceChildren(list, errorState(error, load)),
    );
  }

  replaceChildren(
    outlet,
    pageHeader('Users', 'Who can log in, and with which roles.'),
    section('Add a user', addUserForm(context, load)),
    section('Users', list),
  );
  load();
}

export const usersPage: PageDefinition = { path: 'users', title: 'Users', render: renderUsers };
