import type { Source, WebhookSecret } from '../../api/admin-api-types.js';
import { copyButton } from '../../ui/copy-button.js';
import { openDialog } from '../../ui/dialog.js';
import { h, uniqueId } from '@repopulse/web/elements.js';

function copyableValue(label: string, value: string, announce: (message: string) => void): HTMLElement {
  const id = uniqueId('copyable');
  const input = h('input', { id, type: 'text', readonly: true, class: 'mono', spellcheck: 'false' });
  input.value = value;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'div',
      { class: 'copy-row' },
      input,
      copyButton({ label: `Copy`, text: () => value, field: input, announce }),
    ),
  );
}

/** The secret just generated, shown this once, with the exact settings to paste into GitHub. */
export function openWebhookSecretDialog(options: {
  source: Source;
  secret: WebhookSecret;
  announce: (message: string) => void;
}): void {
  const { source, secret, announce } = options;
  const where =
    source.kind === 'github-repo'
      ? `the repository’s Settings → Webhooks → Add webhook (github.com/${source.target}/settings/hooks)`
      : `the ${source.kind === 'github-org' ? 'organisation' : 'user'}’s Settings → Webhooks → Add webhook`;
  const close = h('button', { type: 'button', class: 'primary' }, 'Done');
  const dialog = openDialog({
    title: `Webhook for ${source.target}`,
    content: [
      h(
        'p',
        { class: 'notice warning' },
        'Copy the secret now: it is shown only this once. Generating another replaces it.',
      ),
      h('p', {}, `In GitHub, open ${where}, and enter:`),
      copyableValue('Payload URL', secret.webhookUrl, announce),
      h(
        'dl',
        { class: 'settings' },
        h('dt', {}, 'Content type'),
        h('dd', {}, h('code', {}, secret.contentType)),
      ),
      copyableValue('Secret', secret.secret, announce),
      h(
        'dl',
        { class: 'settings' },
        h('dt', {}, 'Events'),
        h(
          'dd',
          {},
          'Let me select individual events: ',
          secret.events.map((event, index) => [index > 0 ? ', ' : '', h('code', {}, event)]),
        ),
        h('dt', {}, 'SSL verification'),
        h('dd', {}, 'Enabled'),
        h('dt', {}, 'Active'),
        h('dd', {}, 'Checked'),
      ),
      secret.instructions
        ? h(
            'details',
            {},
            h('summary', {}, 'Step by step'),
            h('p', { class: 'instructions hint' }, secret.instructions),
          )
        : null,
      h('div', { class: 'form-buttons' }, close),
    ],
  });
  close.addEventListener('click', () => dialog.close());
}
