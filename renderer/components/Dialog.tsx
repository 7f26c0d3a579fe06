/**
 * A modal on the native <dialog>: focus is trapped and restored by the browser, Escape closes it.
 * Rendered only while open; the parent decides by mounting it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../app/context';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  testId?: string;
  wide?: boolean;
}

let dialogCount = 0;

export function Dialog({ title, onClose, children, footer, testId, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [titleId] = useState(() => `dialog-title-${++dialogCount}`);
  const { t } = useI18n();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault(); // Escape: let the parent unmount us
        onClose();
      }}
    >
      <header class="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="btn-icon" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <div class="dialog-body">{children}</div>
      {footer && <footer class="dialog-footer">{footer}</footer>}
    </dialog>
  );
}

interface ConfirmOptions {
  title?: string;
  confirmLabel?: string;
  danger?: boolean;
}

interface Pending extends ConfirmOptions {
  message: string;
  resolve: (ok: boolean) => void;
}

/** `const [dialog, confirm] = useConfirm()`; render `dialog`, then `if (await confirm('…')) …`. */
export function useConfirm(): [
  ComponentChildren,
  (message: string, options?: ConfirmOptions) => Promise<boolean>,
] {
  const { t } = useI18n();
  const [pending, setPending] = useState<Pending | null>(null);

  const confirm = (message: string, options: ConfirmOptions = {}) =>
    new Promise<boolean>((resolve) => setPending({ ...options, message, resolve }));

  const settle = (ok: boolean) => {
    pending?.resolve(ok);
    setPending(null);
  };

  const dialog = pending && (
    <Dialog
      title={pending.title ?? t('common.confirmTitle')}
      onClose={() => settle(false)}
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" class="btn" onClick={() => settle(false)} data-testid="confirm-cancel">
            {t('common.cancel')}
          </button>
          <button
            type="button"
            class={pending.danger === false ? 'btn btn-primary' : 'btn btn-danger'}
            onClick={() => settle(true)}
            data-testid="confirm-ok"
          >
            {pending.confirmLabel ?? t('common.confirm')}
          </button>
        </>
      }
    >
      <p>{pending.message}</p>
    </Dialog>
  );
  return [dialog, confirm];
}
