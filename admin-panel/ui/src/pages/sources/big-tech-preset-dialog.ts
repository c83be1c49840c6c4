import type { SourcePreset } from '../../api/admin-api-types.js';
import { ApiError, describeError } from '@repopulse/web/api-error.js';
import type { HttpClient } from '@repopulse/web/http-client.js';
import { sourceTargetProblem } from '../../api/source-rules.js';
import { openDialog } from '../../ui/dialog.js';
import { h } from '@repopulse/web/elements.js';
import { createForm } from '@repopulse/web/form.js';
import { checkboxField, textField, type Field } from '@repopulse/web/form-fields.js';
import { errorState, loadingState } from '@repopulse/web/states.js';
import { scheduleField } from './schedule-field.js';

interface PresetRow {
  include: Field<HTMLInputElement>;
  target: Field<HTMLInputElement | HTMLTextAreaElement>;
  result: HTMLElement;
  element: HTMLElement;
  added: boolean;
}

function presetRow(index: number, company: string, login: string): PresetRow {
  const include = checkboxField({
    name: `sources/${index}/include`,
    label: company || 'Other',
    checked: true,
  });
  const target = textField({
    name: `sources/${index}/target`,
    label: `GitHub organisation of ${company || 'another company'}`,
    value: login,
    spellcheck: false,
  });
  const result = h('span', { class: 'preset-result', 'aria-live': 'polite' });
  const element = h('li', { class: 'preset-row' }, include.element, target.element, result);
  return { include, target, result, element, added: false };
}

/**
 * The one-click preset: the GitHub organisations of the seven largest technology companies, each one
 * editable or left out, then added as `github-org` sources one by one (409: already tracked, fine).
 */
export function openBigTechPresetDialog(options: { api: HttpClient; onDone(added: number): void }): void {
  const content = h('div', {}, loadingState('the preset'));
  const dialog = openDialog({ title: 'Track the big-tech organisations', content });

  const load = () => {
    content.replaceChildren(loadingState('the preset'));
    options.api.get<{ presets: SourcePreset[] }>('/source-presets').then(
      ({ presets }) => {
        const preset = presets.find((candidate) => candidate.id === 'big-tech') ?? presets[0];
        content.replaceChildren(
          preset ? presetForm(preset) : errorState(new Error('The API offers no presets')),
        );
      },
      (error: unknown) => content.replaceChildren(errorState(error, load)),
    );
  };

  function presetForm(preset: SourcePreset): HTMLElement {
    const rows = preset.sources.map((source, index) => presetRow(index, source.company, source.target));
    const list = h(
      'ul',
      { class: 'preset-list' },
      rows.map((row) => row.element),
    );
    const addRow = h('button', { type: 'button' }, 'Add another organisation');
    addRow.addEventListener('click', () => {
      const row = presetRow(rows.length, '', '');
      rows.push(row);
      list.append(row.element);
      row.target.control.focus();
    });
    const schedule = scheduleField(preset.sources[0]?.schedule ?? null);
    const cancel = h('button', { type: 'button' }, 'Done');
    cancel.addEventListener('click', () => dialog.close());
    let added = 0;
    const form = createForm({
      fields: [schedule],
      submitLabel: 'Add these sources',
      buttons: cancel,
      extra: [
        h(
          'p',
          {},
          preset.description ?? preset.name,
          '. Edit any organisation, or untick it to leave it out.',
        ),
        list,
        addRow,
      ],
      validate() {
        let bad = false;
        for (const row of rows) {
          const value = row.target.control.value.trim();
          const problem =
            row.include.control.checked && !row.added
              ? value
                ? sourceTargetProblem('github-org', value)
                : 'is required (or untick it)'
              : undefined;
          row.target.setError(problem);
          if (problem && !bad) row.target.control.focus();
          bad ||= Boolean(problem);
        }
        return schedule
          .validate()
          .concat(
            bad
              ? [{ path: '', message: 'Some organisations need fixing: see the messages beside them.' }]
              : [],
          );
      },
      async submit() {
        for (const row of rows) {
          if (!row.include.control.checked || row.added) continue;
          row.result.textContent = 'Adding…';
          try {
            await options.api.post('/sources', {
              kind: 'github-org',
              target: row.target.control.value.trim(),
              schedule: schedule.value(),
            });
            row.added = true;
            added += 1;
            row.result.textContent = 'Added';
          } catch (error) {
            if (error instanceof ApiError && error.status === 409) {
              row.added = true;
              row.result.textContent = 'Already tracked';
            } else {
              row.result.textContent = '';
              const pathMessage = error instanceof ApiError ? error.fieldErrors[0]?.message : undefined;
              row.target.setError(pathMessage ?? describeError(error));
            }
          }
        }
        options.onDone(added);
      },
    });
    return form.element;
  }

  load();
}
