/** Short-lived messages (saved, copied, failed) in one live region, so screen readers hear them. */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useState } from 'preact/hooks';
import { useI18n } from './context';

export type ToastKind = 'info' | 'success' | 'error';
type Notify = (message: string, kind?: ToastKind) => void;

interface Toast {
  id: number;
  message: string;
  kind: ToastKind;
}

const ToastContext = createContext<Notify>(() => undefined);
export const useToast = (): Notify => useContext(ToastContext);

const MAX_TOASTS = 4;
let nextId = 0;

export function ToastProvider({ children }: { children: ComponentChildren }) {
  const { t } = useI18n();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const notify = useCallback<Notify>((message, kind = 'info') => {
    const id = ++nextId;
    setToasts((list) => [...list.slice(1 - MAX_TOASTS), { id, message, kind }]);
    setTimeout(
      () => setToasts((list) => list.filter((toast) => toast.id !== id)),
      kind === 'error' ? 8000 : 4000,
    );
  }, []);
  const dismiss = (id: number) => setToasts((list) => list.filter((toast) => toast.id !== id));

  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div class="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            class={`toast toast-${toast.kind}`}
            role={toast.kind === 'error' ? 'alert' : 'status'}
            data-testid="toast"
          >
            <span>{toast.message}</span>
            <button
              type="button"
              class="toast-close"
              aria-label={t('common.dismiss')}
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
