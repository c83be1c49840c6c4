import type { FieldError } from './api-error.js';
import { ApiError, describeError } from './api-error.js';
import { h, replaceChildren, type Child } from './elements.js';
import type { Field } from './form-fields.js';

export interface FormOptions {
  /** Named as the API names them: a 422's `/target` is shown at the field named `target`. */
  fields: readonly Field<HTMLElement>[];
  submitLabel: string;
  /** Content after the fields and before the buttons (a schedule's description, say). */
  extra?: Child;
  /** More buttons beside the submit button (Cancel). */
  buttons?: Child;
  label?: string;
  className?: string;
  /** Checked before anything is sent: the same paths the API would name. */
  validate?: () => FieldError[];
  submit: () => Promise<void>;
}

export interface Form {
  element: HTMLFormElement;
  showErrors(errors: readonly FieldError[], summary?: string): void;
  clearErrors(): void;
}

/** `/sources/2/target` belongs to `sources/2/target`, else `sources/2`, else `sources`. */
function fieldFor(fields: readonly Field<HTMLElement>[], path: string): Field<HTMLElement> | undefined {
  const segments = path.replace(/^\//, '').split('/');
  for (let length = segments.length; length > 0; length--) {
    const name = segments.slice(0, length).join('/');
    const field = fields.find((candidate) => candidate.name === name);
    if (field) return field;
  }
  return undefined;
}

/**
 * A form that validates before it sends and shows what the API refused: each `errors[]` entry of a
 * problem+json next to its field, anything else (and entries no field owns) above the buttons.
 */
export function createForm(options: FormOptions): Form {
  const summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const submitButton = h('button', { type: 'submit', class: 'primary' }, options.submitLabel);
  const element = h(
    'form',
    { class: options.className ?? 'form', novalidate: true, 'aria-label': options.label },
    options.fields.map((field) => field.element),
    options.extra,
    summary,
    h('div', { class: 'form-buttons' }, submitButton, options.buttons),
  );

  function clearErrors(): void {
    for (const field of options.fields) field.setError(undefined);
    summary.hidden = true;
    summary.replaceChildren();
  }

  function showErrors(errors: readonly FieldError[], message?: string): void {
    clearErrors();
    const unplaced: FieldError[] = [];
    const shown = new Map<Field<HTMLElement>, string[]>();
    for (const error of errors) {
      const field = fieldFor(options.fields, error.path);
      if (field) shown.set(field, [...(shown.get(field) ?? []), error.message]);
      else unplaced.push(error);
    }
    for (const [field, messages] of shown) field.setError(messages.join('; '));
    if (message || unplaced.length > 0) {
      replaceChildren(
        summary,
        message ? h('p', {}, message) : null,
        unplaced.length > 0
          ? h(
              'ul',
              {},
              unplaced.map((error) =>
                h('li', {}, error.path ? `${error.path}: ${error.message}` : error.message),
              ),
            )
          : null,
      );
      summary.hidden = false;
    }
    const first = options.fields.find((field) => shown.has(field));
    first?.focusTarget.focus();
  }

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submitButton.disabled) return;
    const problems = options.validate?.() ?? [];
    if (problems.length > 0) {
      showErrors(problems);
      return;
    }
    clearErrors();
    submitButton.disabled = true;
    element.setAttribute('aria-busy', 'true');
    options
      .submit()
      .catch((error: unknown) => {
        if (error instanceof ApiError) showErrors(error.fieldErrors, error.message);
        else showErrors([], describeError(error));
      })
      .finally(() => {
        submitButton.disabled = false;
        element.removeAttribute('aria-busy');
      });
  });

  return { element, showErrors, clearErrors };
}

/** A 422-style message for a field that must not be empty. */
export function requiredError(
  field: Field<HTMLElement>,
  value: string,
  message = 'is required',
): FieldError[] {
  return value.trim() === '' ? [{ path: `/${field.name}`, message }] : [];
}
