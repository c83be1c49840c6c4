import { h, uniqueId, type Child } from './elements.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * A labelled control with its hint and an error slot. `name` is the field's name in the API's body, so a
 * 422 naming `/schedule` lands next to the field named `schedule`.
 */
export interface Field<C extends HTMLElement = Control> {
  name: string;
  element: HTMLElement;
  control: C;
  /** What to focus when the field is in error. */
  focusTarget: HTMLElement;
  /** The hint under the label, when the field has one. */
  hint?: HTMLElement;
  setError(message: string | undefined): void;
}

interface CommonOptions {
  name: string;
  label: string;
  hint?: Child;
  required?: boolean;
}

function describe(control: HTMLElement, ids: string[]): void {
  if (ids.length > 0) control.setAttribute('aria-describedby', ids.join(' '));
  else control.removeAttribute('aria-describedby');
}

function withErrorSlot<C extends HTMLElement>(
  name: string,
  element: HTMLElement,
  control: C,
  hint: { id?: string; node?: HTMLElement },
  focusTarget: HTMLElement = control,
): Field<C> {
  const hintId = hint.id;
  const errorId = uniqueId(`${name}-error`);
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  element.append(error);
  describe(control, hintId ? [hintId] : []);
  return {
    name,
    element,
    control,
    focusTarget,
    hint: hint.node,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
      element.classList.toggle('has-error', Boolean(message));
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      describe(control, [...(hintId ? [hintId] : []), ...(message ? [errorId] : [])]);
    },
  };
}

function hintFor(name: string, hint: Child | undefined): { id?: string; node?: HTMLElement } {
  if (hint === undefined) return {};
  const id = uniqueId(`${name}-hint`);
  return { id, node: h('p', { id, class: 'hint' }, hint) };
}

export function textField(
  options: CommonOptions & {
    type?: 'text' | 'password' | 'url' | 'number' | 'datetime-local' | 'date' | 'search';
    value?: string;
    placeholder?: string;
    autocomplete?: string;
    spellcheck?: boolean;
    multiline?: boolean;
  },
): Field<HTMLInputElement | HTMLTextAreaElement> {
  const id = uniqueId(options.name);
  const hint = hintFor(options.name, options.hint);
  const attributes = {
    id,
    name: options.name,
    required: options.required ?? false,
    placeholder: options.placeholder,
    autocomplete: options.autocomplete ?? 'off',
    spellcheck: options.spellcheck === undefined ? undefined : String(options.spellcheck),
  };
  const control = options.multiline
    ? h('textarea', { ...attributes, rows: 4 })
    : h('input', { ...attributes, type: options.type ?? 'text' });
  control.value = options.value ?? '';
  control.defaultValue = control.value;
  const element = h('div', { class: 'field' }, h('label', { for: id }, options.label), hint.node, control);
  return withErrorSlot(options.name, element, control, hint);
}

export function selectField(
  options: CommonOptions & { options: readonly (readonly [value: string, label: string])[]; value?: string },
): Field<HTMLSelectElement> {
  const id = uniqueId(options.name);
  const hint = hintFor(options.name, options.hint);
  const control = h(
    'select',
    { id, name: options.name, required: options.required ?? false },
    options.options.map(([value, label]) => h('option', { value }, label)),
  );
  if (options.value !== undefined) control.value = options.value;
  const element = h('div', { class: 'field' }, h('label', { for: id }, options.label), hint.node, control);
  return withErrorSlot(options.name, element, control, hint);
}

export function checkboxField(options: CommonOptions & { checked?: boolean }): Field<HTMLInputElement> {
  const id = uniqueId(options.name);
  const hint = hintFor(options.name, options.hint);
  const control = h('input', { id, name: options.name, type: 'checkbox' });
  control.checked = control.defaultChecked = options.checked ?? false;
  const element = h(
    'div',
    { class: 'field field-checkbox' },
    h('span', { class: 'checkbox-line' }, control, h('label', { for: id }, options.label)),
    hint.node,
  );
  return withErrorSlot(options.name, element, control, hint);
}

/** Several checkboxes under one legend (e.g. roles); `values()` are the checked ones. */
export function checkboxGroupField(
  options: CommonOptions & {
    options: readonly (readonly [value: string, label: string])[];
    checked?: string[];
  },
): Field<HTMLFieldSetElement> & { values(): string[] } {
  const hint = hintFor(options.name, options.hint);
  const boxes = options.options.map(([value, label]) => {
    const id = uniqueId(`${options.name}-${value}`);
    const box = h('input', { id, type: 'checkbox', name: options.name, value });
    box.checked = box.defaultChecked = options.checked?.includes(value) ?? false;
    return { box, line: h('span', { class: 'checkbox-line' }, box, h('label', { for: id }, label)) };
  });
  const control = h(
    'fieldset',
    { class: 'field field-group' },
    h('legend', {}, options.label),
    hint.node,
    h(
      'div',
      { class: 'checkbox-row' },
      boxes.map((entry) => entry.line),
    ),
  );
  const field = withErrorSlot(options.name, control, control, hint, boxes[0]?.box ?? control);
  return {
    ...field,
    values: () => boxes.filter((entry) => entry.box.checked).map((entry) => entry.box.value),
  };
}
