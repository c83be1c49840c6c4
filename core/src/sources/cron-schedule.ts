import { validateDetailed } from 'node-cron';

/**
 * Why a source's schedule cannot be used, in words fit for an admin, or undefined when it can. Schedules
 * are node-cron expressions — five fields (minute hour day-of-month month day-of-week) or six with
 * seconds first — checked by the same library cron fires them with, so what the admin API accepts is
 * exactly what cron can run (an impossible date such as 31 February is refused too).
 */
export function cronScheduleProblem(expression: string): string | undefined {
  if (expression.trim() === '') return 'is empty: give a cron expression or leave the schedule out';
  if (expression.length > 200) return 'is longer than 200 characters';
  const { valid, errors } = validateDetailed(expression);
  if (valid) return undefined;
  const first = errors[0];
  if (!first) return 'is not a cron expression';
  return first.field === 'expression' ? first.message : `${first.field}: ${first.message}`;
}
