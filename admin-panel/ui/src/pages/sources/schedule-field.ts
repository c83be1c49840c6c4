import cronstrue from 'cronstrue';
import type { FieldError } from '@repopulse/web/api-error.js';
import { h } from '@repopulse/web/elements.js';
import { textField, type Field } from '@repopulse/web/form-fields.js';

/** A cron expression in words, or undefined when cronstrue cannot read it. */
export function describeSchedule(expression: string): string | undefined {
  try {
    return cronstrue.toString(expression, { throwExceptionOnParseError: true, use24HourTimeFormat: true });
  } catch {
    return undefined;
  }
}

/**
 * Why an expression will not do, before the API is asked. node-cron (what cron fires with) takes five
 * fields, or six with seconds first; the API has the last word (it also refuses dates such as 31 February).
 */
export function scheduleProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (text === '') return undefined;
  const fields = text.split(/\s+/).length;
  if (fields < 5 || fields > 6) {
    return `has ${fields} field${fields === 1 ? '' : 's'}: give five (minute hour day month weekday), or six with seconds first`;
  }
  return describeSchedule(text) ? undefined : 'is not a cron expression';
}

/** The schedule field: the expression, and beneath it, as you type, what it means in words. */
export function scheduleField(
  value: string | null,
  timezone?: string,
): Field<HTMLInputElement | HTMLTextAreaElement> & {
  validate(): FieldError[];
  value(): string | null;
} {
  const words = h('span', { class: 'schedule-words' });
  const field = textField({
    name: 'schedule',
    label: 'Schedule (cron expression, optional)',
    value: value ?? '',
    placeholder: '0 3 * * *',
    spellcheck: false,
    hint: [
      'minute hour day month weekday, e.g. ',
      h('code', {}, '0 3 * * *'),
      ` for 03:00 every day${timezone ? ` (${timezone})` : ''}. Empty: crawl only when asked. `,
      words,
    ],
  });
  const update = () => {
    const text = field.control.value.trim();
    const description = text ? describeSchedule(text) : undefined;
    words.textContent = text ? (description ? `Means: ${description}.` : '') : '';
  };
  field.control.addEventListener('input', () => {
    update();
    field.setError(undefined);
  });
  update();
  return {
    ...field,
    validate() {
      const problem = scheduleProblem(field.control.value);
      return problem ? [{ path: '/schedule', message: problem }] : [];
    },
    value: () => field.control.value.trim() || null,
  };
}
