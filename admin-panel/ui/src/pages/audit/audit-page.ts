import type { AuditEntry, Page } from '../../api/admin-api-types.js';
import type { FieldError } from '@repopulse/web/api-error.js';
import type { Query } from '@repopulse/web/http-client.js';
import type { PageContext, PageDefinition } from '../../page.js';
import { createDataTable } from '../../ui/data-table.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { createForm } from '@repopulse/web/form.js';
import { selectField, textField } from '@repopulse/web/form-fields.js';
import { formatDateTime, localInputToIso } from '../../ui/format.js';
import { pageHeader, section } from '../../ui/page-header.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { statusBadge } from '../../ui/status-badge.js';

function actorOf(entry: AuditEntry): string {
  const name = entry.actorName ?? (entry.actorId ? `${entry.actorKind} ${entry.actorId}` : entry.actorKind);
  return entry.actorKind === 'api-key' ? `${name} (API key)` : name;
}

function detailsCell(entry: AuditEntry): HTMLElement | string {
  if (entry.details === null || entry.details === undefined) return '—';
  if (typeof entry.details === 'object' && Object.keys(entry.details).length === 0) return '—';
  return h(
    'details',
    { class: 'payload' },
    h('summary', {}, 'Details'),
    h('pre', {}, JSON.stringify(entry.details, null, 2)),
  );
}

function renderAudit(outlet: HTMLElement, context: PageContext): void {
  const { api } = context;
  const actor = textField({
    name: 'actor',
    label: 'Actor',
    hint: 'User name or id.',
    value: context.query.get('actor') ?? '',
  });
  const action = textField({
    name: 'action',
    label: 'Action',
    placeholder: 'source.update',
    value: context.query.get('action') ?? '',
  });
  const outcome = selectField({
    name: 'outcome',
    label: 'Outcome',
    options: [
      ['', 'Any'],
      ['success', 'Success'],
      ['denied', 'Denied'],
      ['failure', 'Failure'],
    ],
    value: context.query.get('outcome') ?? '',
  });
  const from = textField({ name: 'from', label: 'From', type: 'datetime-local' });
  const to = textField({ name: 'to', label: 'To', type: 'datetime-local' });
  const list = h('div', {}, loadingState('the audit log'));
  const more = h('button', { type: 'button', hidden: true }, 'Show older entries');
  let entries: AuditEntry[] = [];
  let cursor: string | null = null;

  const table = createDataTable<AuditEntry>({
    caption: 'Audit log, newest first',
    key: (entry) => entry.id,
    columns: [
      { header: 'When', cell: (entry) => h('time', { datetime: entry.at }, formatDateTime(entry.at)) },
      { header: 'Actor', cell: actorOf },
      { header: 'Action', cell: (entry) => h('code', {}, entry.action) },
      { header: 'Target', cell: (entry) => entry.target ?? '—' },
      { header: 'Outcome', cell: (entry) => statusBadge(entry.outcome) },
      { header: 'Details', cell: detailsCell },
    ],
  });

  const filters = (): Query => ({
    actor: actor.control.value.trim(),
    action: action.control.value.trim(),
    outcome: outcome.control.value,
    from: localInputToIso(from.control.value),
    to: localInputToIso(to.control.value),
  });

  async function load(append = false): Promise<void> {
    if (!append) replaceChildren(list, loadingState('the audit log'));
    const answer = await api.get<{ entries: AuditEntry[] } & Page>('/audit', {
      ...filters(),
      before: append ? cursor : undefined,
    });
    entries = append ? [...entries, ...answer.entries] : answer.entries;
    cursor = answer.nextCursor;
    table.update(entries);
    replaceChildren(list, entries.length > 0 ? table.element : emptyState('No entries match these filters.'));
    more.hidden = cursor === null;
  }

  const validate = (): FieldError[] => {
    const start = localInputToIso(from.control.value);
    const end = localInputToIso(to.control.value);
    return start && end && start >= end ? [{ path: '/to', message: 'must be after From' }] : [];
  };
  const form = createForm({
    fields: [actor, action, outcome, from, to],
    submitLabel: 'Apply filters',
    label: 'Filter the audit log',
    className: 'form form-grid filters-form',
    validate,
    submit: () => load(),
  });
  more.addEventListener('click', () => {
    load(true).catch((error: unknown) =>
      replaceChildren(
        list,
        errorState(error, () => void load()),
      ),
    );
  });

  replaceChildren(
    outlet,
    pageHeader('Audit log', 'Who changed what, and when: every admin change, login and refused request.'),
    section('Filters', form.element),
    section('Entries', list, more),
  );
  load().catch((error: unknown) =>
    replaceChildren(
      list,
      errorState(error, () => void load()),
    ),
  );
}

export const auditPage: PageDefinition = { path: 'audit', title: 'Audit log', render: renderAudit };
