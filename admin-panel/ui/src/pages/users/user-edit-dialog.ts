import { roles, type User } from '../../api/admin-api-types.js';
import type { HttpClient } from '@repopulse/web/http-client.js';
import { openDialog } from '../../ui/dialog.js';
import { h } from '@repopulse/web/elements.js';
import { createForm } from '@repopulse/web/form.js';
import { checkboxField, checkboxGroupField, textField } from '@repopulse/web/form-fields.js';
import { passwordProblems, rolesProblems } from './user-rules.js';

/** Changing a user's roles, password or whether the account is disabled. */
export function openUserEditDialog(options: { api: HttpClient; user: User; onSaved(): void }): void {
  const { user } = options;
  const roleField = checkboxGroupField({
    name: 'roles',
    label: 'Roles',
    options: roles.map((role) => [role, role] as const),
    checked: user.roles,
  });
  const password = textField({
    name: 'password',
    label: 'New password (optional)',
    type: 'password',
    autocomplete: 'new-password',
    hint: 'Leave empty to keep the current one.',
  });
  const disabled = checkboxField({
    name: 'disabled',
    label: 'Disabled (cannot log in; API keys keep working until revoked)',
    checked: user.disabled,
  });
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = createForm({
    fields: [roleField, password, disabled],
    submitLabel: 'Save',
    buttons: cancel,
    validate: () => [
      ...rolesProblems(roleField.values()),
      ...passwordProblems(password.control.value, false),
    ],
    async submit() {
      await options.api.patch(`/users/${user.id}`, {
        roles: roleField.values(),
        disabled: disabled.control.checked,
        ...(password.control.value ? { password: password.control.value } : {}),
      });
      dialog.close();
      options.onSaved();
    },
  });
  const dialog = openDialog({ title: `Edit ${user.username}`, content: form.element });
  cancel.addEventListener('click', () => dialog.close());
  roleField.focusTarget.focus();
}
