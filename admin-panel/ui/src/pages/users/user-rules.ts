import type { FieldError } from '@repopulse/web/api-error.js';

/** As core's user store checks them (`core/src/identity/user-store.ts`), so the form says so first. */
const usernamePattern = /^[A-Za-z0-9._@-]{1,100}$/;
const minPasswordLength = 8;
const maxPasswordLength = 1024;

export function usernameProblems(username: string): FieldError[] {
  if (username === '') return [{ path: '/username', message: 'is required' }];
  return usernamePattern.test(username)
    ? []
    : [{ path: '/username', message: 'may hold letters, digits and . _ @ - only, at most 100 characters' }];
}

export function passwordProblems(password: string, required: boolean): FieldError[] {
  if (password === '') return required ? [{ path: '/password', message: 'is required' }] : [];
  if (password.length < minPasswordLength) {
    return [{ path: '/password', message: `must have at least ${minPasswordLength} characters` }];
  }
  if (password.length > maxPasswordLength) {
    return [{ path: '/password', message: `must have at most ${maxPasswordLength} characters` }];
  }
  return [];
}

export function rolesProblems(roles: readonly string[]): FieldError[] {
  return roles.length === 0 ? [{ path: '/roles', message: 'Choose at least one role' }] : [];
}
