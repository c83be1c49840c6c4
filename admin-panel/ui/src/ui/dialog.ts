import { h, uniqueId, type Child } from '@repopulse/web/elements.js';

export interface Dialog {
  element: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
}

/**
 * A modal `<dialog>`: the browser keeps focus inside and closes it on Escape. Closing removes it and
 * gives focus back to what had it before.
 */
export function openDialog(options: { title: string; content: Child; onClose?: () => void }): Dialog {
  const titleId = uniqueId('dialog-title');
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const body = h('div', { class: 'dialog-body' }, options.content);
  const closeButton = h('button', { type: 'button', class: 'dialog-close', 'aria-label': 'Close' }, '×');
  const element = h(
    'dialog',
    { 'aria-labelledby': titleId },
    h('header', { class: 'dialog-header' }, h('h2', { id: titleId }, options.title), closeButton),
    body,
  );
  const close = () => {
    if (element.open) element.close();
  };
  closeButton.addEventListener('click', close);
  element.addEventListener('close', () => {
    element.remove();
    options.onClose?.();
    if (previous?.isConnected) previous.focus();
  });
  document.body.append(element);
  element.showModal();
  return { element, body, close };
}

/** Asks before something that cannot be undone; resolves true when confirmed. */
export function confirmAction(options: {
  title: string;
  message: Child;
  confirmLabel: string;
  danger?: boolean;
}): Promise<boolean> {
  return new Promise((resolve) => {
    let confirmed = false;
    const confirm = h(
      'button',
      { type: 'button', class: options.danger ? 'danger' : 'primary' },
      options.confirmLabel,
    );
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const dialog = openDialog({
      title: options.title,
      content: [
        h('div', { class: 'confirm-message' }, options.message),
        h('div', { class: 'form-buttons' }, confirm, cancel),
      ],
      onClose: () => resolve(confirmed),
    });
    confirm.addEventListener('click', () => {
      confirmed = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    cancel.focus();
  });
}
