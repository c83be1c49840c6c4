import { h } from '@repopulse/web/elements.js';
import type { Dashboard } from './dashboard.js';

export const notFoundPage: Dashboard = {
  render(main, context) {
    context.setTitle('No such page');
    main.append(
      h('h1', { tabindex: -1 }, 'No such page'),
      h(
        'p',
        { role: 'alert' },
        `There is no dashboard at ${location.pathname}. Try `,
        h('a', { href: '/trends' }, 'the trends'),
        ' or search for a repository or organisation.',
      ),
    );
    context.setState('error');
  },
};
