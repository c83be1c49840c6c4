import type { AclRule } from '../../api/admin-api-types.js';
import type { FieldError } from '@repopulse/web/api-error.js';
import { type Child } from '@repopulse/web/elements.js';
import { createForm, type Form } from '@repopulse/web/form.js';
import { checkboxGroupField, textField } from '@repopulse/web/form-fields.js';

const methods = ['*', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ruleRoles = ['anyone', 'authenticated', 'admin', 'analyst', 'supplier'];

export type AclRuleFields = Omit<AclRule, 'id'>;

function wholeNumber(
  path: string,
  text: string,
  required: boolean,
): { value: number | null; problems: FieldError[] } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null, problems: required ? [{ path, message: 'is required' }] : [] };
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < 1)
    return { value: null, problems: [{ path, message: 'must be a whole number of at least 1' }] };
  return { value, problems: [] };
}

/** The fields of an ACL rule, for adding one or changing one. */
export function aclRuleForm(options: {
  rule?: AclRule;
  submitLabel: string;
  buttons?: Child;
  submit(fields: AclRuleFields): Promise<void>;
}): Form {
  const { rule } = options;
  const priority = textField({
    name: 'priority',
    label: 'Priority',
    type: 'number',
    value: rule ? String(rule.priority) : '',
    hint: 'Lower first: the first rule whose method and path match decides.',
  });
  const methodField = checkboxGroupField({
    name: 'methods',
    label: 'Methods',
    options: methods.map((method) => [method, method === '*' ? 'any' : method] as const),
    checked: rule?.methods ?? ['GET', 'HEAD'],
  });
  const pathPattern = textField({
    name: 'pathPattern',
    label: 'Path pattern',
    value: rule?.pathPattern ?? '',
    placeholder: '/api/*',
    spellcheck: false,
    hint: 'A path starting with /; * at the end matches the rest.',
  });
  const roleField = checkboxGroupField({
    name: 'roles',
    label: 'Roles allowed',
    options: ruleRoles.map((role) => [role, role] as const),
    checked: rule?.roles ?? [],
  });
  const perMinute = textField({
    name: 'rateLimitPerMinute',
    label: 'Rate limit per minute (optional)',
    type: 'number',
    value: rule?.rateLimitPerMinute ? String(rule.rateLimitPerMinute) : '',
  });
  const burst = textField({
    name: 'rateLimitBurst',
    label: 'Burst (optional)',
    type: 'number',
    value: rule?.rateLimitBurst ? String(rule.rateLimitBurst) : '',
  });
  const description = textField({
    name: 'description',
    label: 'Description',
    value: rule?.description ?? '',
  });

  const read = () => {
    const priorityValue = wholeNumber('/priority', priority.control.value, true);
    const perMinuteValue = wholeNumber('/rateLimitPerMinute', perMinute.control.value, false);
    const burstValue = wholeNumber('/rateLimitBurst', burst.control.value, false);
    const pattern = pathPattern.control.value.trim();
    const problems = [
      ...priorityValue.problems,
      ...(methodField.values().length === 0
        ? [{ path: '/methods', message: 'Choose at least one method' }]
        : []),
      ...(pattern.startsWith('/') ? [] : [{ path: '/pathPattern', message: 'must start with /' }]),
      ...(roleField.values().length === 0 ? [{ path: '/roles', message: 'Choose at least one role' }] : []),
      ...perMinuteValue.problems,
      ...burstValue.problems,
      ...((perMinuteValue.value === null) !== (burstValue.value === null) &&
      perMinuteValue.problems.length + burstValue.problems.length === 0
        ? [{ path: '/rateLimitBurst', message: 'give both a rate and a burst, or neither' }]
        : []),
    ];
    const fields: AclRuleFields = {
      priority: priorityValue.value ?? 0,
      methods: methodField.values(),
      pathPattern: pattern,
      roles: roleField.values(),
      rateLimitPerMinute: perMinuteValue.value,
      rateLimitBurst: burstValue.value,
      description: description.control.value.trim(),
    };
    return { problems, fields };
  };

  return createForm({
    fields: [priority, methodField, pathPattern, roleField, perMinute, burst, description],
    submitLabel: options.submitLabel,
    buttons: options.buttons,
    className: 'form form-grid',
    validate: () => read().problems,
    submit: () => options.submit(read().fields),
  });
}
