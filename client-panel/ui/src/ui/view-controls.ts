import { h, uniqueId } from '@repopulse/web/elements.js';

export interface SelectControl {
  name: string;
  label: string;
  options: ReadonlyArray<readonly [value: string, label: string]>;
  value: string;
}

/**
 * A row of labelled selects that apply as soon as one changes (no submit button needed: each change is
 * one request, and the view keeps the focus on the control).
 */
export function viewControls(
  label: string,
  controls: readonly SelectControl[],
  onChange: (values: Record<string, string>) => void,
): HTMLFormElement {
  const selects = controls.map((control) => {
    const id = uniqueId(control.name);
    const select = h(
      'select',
      { id, name: control.name },
      control.options.map(([value, text]) => h('option', { value }, text)),
    );
    select.value = control.value;
    return { select, element: h('div', { class: 'field' }, h('label', { for: id }, control.label), select) };
  });
  const values = () => Object.fromEntries(selects.map(({ select }) => [select.name, select.value]));
  const form = h(
    'form',
    { class: 'filters', 'aria-label': label, onsubmit: (event: Event) => event.preventDefault() },
    selects.map(({ element }) => element),
  );
  form.addEventListener('change', () => onChange(values()));
  return form;
}
