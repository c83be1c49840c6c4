import type { Source, SourceKind } from '../../api/admin-api-types.js';
import type { FieldError } from '@repopulse/web/api-error.js';
import type { HttpClient } from '@repopulse/web/http-client.js';
import { sourceTargetProblem } from '../../api/source-rules.js';
import { createForm } from '@repopulse/web/form.js';
import { checkboxField, selectField, textField } from '@repopulse/web/form-fields.js';
import { scheduleField } from './schedule-field.js';
import { sourceKindOptions, targetHints } from './source-kinds.js';

/** Adding a source: kind, target (checked against its kind), optional schedule, enabled. */
export function sourceAddForm(options: { api: HttpClient; onAdded(source: Source): void }): HTMLFormElement {
  const kind = selectField({ name: 'kind', label: 'Kind', options: sourceKindOptions, value: 'github-org' });
  const target = textField({ name: 'target', label: 'Target', required: true, spellcheck: false, hint: '' });
  const schedule = scheduleField(null);
  const enabled = checkboxField({ name: 'enabled', label: 'Enabled', checked: true });

  const showKind = () => {
    const { hint, placeholder } = targetHints[kind.control.value as SourceKind];
    target.control.placeholder = placeholder;
    if (target.hint) target.hint.textContent = hint;
    target.setError(undefined);
  };
  kind.control.addEventListener('change', showKind);
  target.control.addEventListener('input', () => target.setError(undefined));
  showKind();

  const validate = (): FieldError[] => {
    const value = target.control.value.trim();
    const problem = value
      ? sourceTargetProblem(kind.control.value as SourceKind, value)
      : 'is required: what to track';
    return [...(problem ? [{ path: '/target', message: problem }] : []), ...schedule.validate()];
  };

  const form = createForm({
    fields: [kind, target, schedule, enabled],
    submitLabel: 'Add source',
    label: 'Add a source',
    className: 'form form-grid',
    validate,
    async submit() {
      const created = await options.api.post<Source>('/sources', {
        kind: kind.control.value,
        target: target.control.value.trim(),
        schedule: schedule.value(),
        enabled: enabled.control.checked,
      });
      target.control.value = '';
      schedule.control.value = '';
      schedule.control.dispatchEvent(new Event('input'));
      options.onAdded(created);
    },
  });
  return form.element;
}
