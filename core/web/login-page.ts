import { ApiError } from './api-error.js';
import type { Identity, Session } from './session.js';
import { h, replaceChildren } from './elements.js';
import { createForm, requiredError } from './form.js';
import { textField } from './form-fields.js';

/** The login form: username and password for a token at the proxy's `/auth/token`. */
export function renderLoginPage(
  root: HTMLElement,
  options: {
    session: Session;
    /** The panel's name, as its heading and title say it ("Repo Pulse admin"). */
    product: string;
    /** One sentence under the heading. */
    intro: string;
    message?: string;
    onLoggedIn(identity: Identity): void;
  },
): void {
  document.title = `Log in — ${options.product}`;
  const username = textField({
    name: 'username',
    label: 'Username',
    required: true,
    autocomplete: 'username',
  });
  const password = textField({
    name: 'password',
    label: 'Password',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const form = createForm({
    fields: [username, password],
    submitLabel: 'Log in',
    label: 'Log in',
    validate: () => [
      ...requiredError(username, username.control.value, 'Enter your username'),
      ...requiredError(password, password.control.value, 'Enter your password'),
    ],
    async submit() {
      try {
        options.onLoggedIn(
          await options.session.logIn(username.control.value.trim(), password.control.value),
        );
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          throw new ApiError(401, 'Wrong username or password', undefined);
        }
        throw error;
      }
    },
  });
  replaceChildren(
    root,
    h(
      'main',
      { class: 'login', id: 'main', 'data-state': 'ready' },
      h(
        'div',
        { class: 'login-card' },
        h('h1', {}, options.product),
        h('p', { class: 'intro' }, options.intro),
        options.message ? h('p', { class: 'notice', role: 'status' }, options.message) : null,
        form.element,
      ),
    ),
  );
  username.control.focus();
}
