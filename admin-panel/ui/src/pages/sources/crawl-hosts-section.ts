import type { CrawlHost } from '../../api/admin-api-types.js';
import type { PageContext } from '../../page.js';
import { describeError, type FieldError } from '@repopulse/web/api-error.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { createForm } from '@repopulse/web/form.js';
import { textField } from '@repopulse/web/form-fields.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { createDataTable } from '../../ui/data-table.js';
import { confirmAction } from '../../ui/dialog.js';
import { formatDateTime } from '../../ui/format.js';

/**
 * The crawl host allowlist: the hosts suppliers' crawl requests may name (https, public addresses only).
 * The admin API checks each host (exact names, no wildcards or addresses) and says why it refuses one.
 */
export function crawlHostsSection(context: PageContext): HTMLElement {
  const { api, announce } = context;
  const list = h('div', {}, loadingState('crawl hosts'));

  function remove(row: CrawlHost): void {
    void confirmAction({
      title: 'Remove this host?',
      message: ["Suppliers' crawl requests naming ", h('strong', {}, row.host), ' will be refused.'],
      confirmLabel: 'Remove',
      danger: true,
    }).then((sure) => {
      if (!sure) return;
      api.delete(`/crawl-hosts/${encodeURIComponent(row.host)}`).then(
        () => (announce(`${row.host} removed from the crawl hosts`), load()),
        (error: unknown) => announce(`Could not remove: ${describeError(error)}`),
      );
    });
  }

  const table = createDataTable<CrawlHost>({
    caption: 'Crawl hosts',
    key: (row) => row.host,
    columns: [
      { header: 'Host', cell: (row) => h('code', {}, row.host) },
      { header: 'Added by', cell: (row) => row.addedBy ?? '—' },
      { header: 'Added', cell: (row) => formatDateTime(row.addedAt) },
      {
        header: 'Actions',
        cell: (row) =>
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'aria-label': `Remove ${row.host}`,
              onclick: () => remove(row),
            },
            'Remove',
          ),
      },
    ],
  });

  function load(): void {
    api.get<{ crawlHosts: CrawlHost[] }>('/crawl-hosts').then(
      ({ crawlHosts }) => {
        table.update(crawlHosts);
        replaceChildren(
          list,
          crawlHosts.length > 0 ? table.element : emptyState('No hosts: suppliers cannot request crawls.'),
        );
      },
      (error: unknown) => replaceChildren(list, errorState(error, load)),
    );
  }

  const host = textField({
    name: 'host',
    label: 'Host',
    required: true,
    spellcheck: false,
    hint: 'An exact host name such as git.example.org: no scheme, port or wildcard.',
  });
  const validate = (): FieldError[] =>
    host.control.value.trim() === '' ? [{ path: '/host', message: 'is required' }] : [];
  const form = createForm({
    fields: [host],
    submitLabel: 'Allow host',
    label: 'Allow a crawl host',
    className: 'form form-grid',
    validate,
    async submit() {
      const added = await api.post<CrawlHost>('/crawl-hosts', { host: host.control.value.trim() });
      host.control.value = '';
      announce(`${added.host} added to the crawl hosts`);
      load();
    },
  });

  load();
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'muted' },
      "Suppliers' crawl requests may name https URLs of these hosts only, and only where they resolve to " +
        'public addresses. Sources added here may name any git URL; local paths and private addresses ' +
        'need GIT_ALLOW_LOCAL=1.',
    ),
    form.element,
    list,
  );
}
