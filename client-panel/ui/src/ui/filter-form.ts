import { h, uniqueId } from '@repopulse/web/elements.js';

export type FilterField =
  | {
      kind: 'select';
      name: string;
      label: string;
      value: string;
      options: ReadonlyArray<readonly [string, string]>;
    }
  | {
      kind: 'text';
      name: string;
      label: string;
      value: string;
      placeholder?: string;
      suggestions?: readonly string[];
    };

/**
 * A filter form: labelled fields and an "Apply" button (Enter in a text field applies too); a select
 * applies as soon as it changes. `onApply` gets every field's trimmed value.
 */
export function filterForm(options: {
  label: string;
  fields: readonly FilterField[];
  submitLabel?: string;
  onApply: (values: Record<string, string>) => void;
}): HTMLFormElement {
  const controls: Array<HTMLInputElement | HTMLSelectElement> = [];
  const elements = options.fields.map((field) => {
    const id = uniqueId(field.name);
    let control: HTMLInputElement | HTMLSelectElement;
    let suggestions: HTMLDataListElement | null = null;
    if (field.kind === 'select') {
      control = h(
        'select',
        { id, name: field.name },
        field.options.map(([value, text]) => h('option', { value }, text)),
      );
    } else {
      const listId = field.suggestions?.length ? uniqueId(`${field.name}-suggestions`) : undefined;
      control = h('input', {
        id,
        name: field.name,
        type: 'text',
        placeholder: field.placeholder,
        autocomplete: 'off',
        list: listId,
      });
      if (listId) {
        suggestions = h(
          'datalist',
          { id: listId },
          field.suggestions!.map((value) => h('option', { value })),
        );
      }
    }
    control.value = field.value;
    controls.push(control);
    return h('div', { class: 'field' }, h('label', { for: id }, field.label), control, suggestions);
  });
  const values = () => Object.fromEntries(controls.map((control) => [control.name, control.value.trim()]));
  const form = h(
    'form',
    { class: 'filters', 'aria-label': options.label },
    elements,
    h(
      'div',
      { class: 'form-buttons' },
      h('button', { type: 'submit', class: 'primary' }, options.submitLabel ?? 'Apply filters'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    options.onApply(values());
  });
  form.addEventListener('change', (event) => {
    if (event.target instanceof HTMLSelectElement) options.onApply(values());
  });
  return form;
}
