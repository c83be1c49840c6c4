import type { Source } from '../../api/admin-api-types.js';
import type { HttpClient } from '@repopulse/web/http-client.js';
import { openDialog } from '../../ui/dialog.js';
import { h } from '@repopulse/web/elements.js';
import { createForm } from '@repopulse/web/form.js';
import { checkboxField } from '@repopulse/web/form-fields.js';
import { scheduleField } from './schedule-field.js';

/** Changing a source's schedule and whether it is enabled. */
export function openSourceEditDialog(options: {
  api: HttpClient;
  source: Source;
  onSaved(source: Source): void;
}): void {
  const { source } = options;
  const schedule = scheduleField(source.schedule, source.timezone);
  const enabled = checkboxField({ name: 'enabled', label: 'Enabled', checked: source.enabled });
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = createForm({
    fields: [schedule, enabled],
    submitLabel: 'Save',
    label: `Edit ${source.target}`,
    buttons: cancel,
    validate: () => schedule.validate(),
    async submit() {
      const saved = await options.api.patch<Source>(`/sources/${source.id}`, {
        schedule: schedule.value(),
        enabled: enabled.control.checked,
      });
      dialog.close();
      options.onSaved(saved);
    },
  });
  const dialog = openDialog({
    title: `Edit ${source.target}`,
    content: form.element,
  });
  cancel.addEventListener('click', () => dialog.close());
  schedule.control.focus();
}
