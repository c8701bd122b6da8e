/**
 * The window's one error path: whatever a call to main throws is reported here and shown as a
 * KuraError message in the current language (describeError), until the user dismisses it; short
 * confirmations ("Copied s3://…") are shown for a moment. Nothing is dropped silently.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from './errors';
import { CloseIcon } from './browser/icons';

interface Notice {
  id: number;
  kind: 'error' | 'info';
  /** An error is kept as thrown, so its message follows the language. */
  error?: unknown;
  text?: string;
}

interface NoticesApi {
  report: (err: unknown) => void;
  inform: (text: string) => void;
  /** Runs a call to main; a failure is reported. Resolves to undefined then. */
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
}

const NoticesContext = createContext<NoticesApi | null>(null);

export function useNotices(): NoticesApi {
  const n = useContext(NoticesContext);
  if (!n) throw new Error('useNotices outside NoticesProvider');
  return n;
}

const INFO_MS = 4000;

export function NoticesProvider({ children }: { children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const [list, setList] = useState<Notice[]>([]);
  const nextId = useRef(0);
  const dismiss = useCallback((id: number) => setList((l) => l.filter((n) => n.id !== id)), []);
  const report = useCallback((error: unknown) => {
    const id = ++nextId.current;
    setList((l) => [...l.slice(-3), { id, kind: 'error', error }]);
  }, []);
  const inform = useCallback(
    (text: string) => {
      const id = ++nextId.current;
      setList((l) => [
        ...l.filter((n) => n.kind === 'error').slice(-3),
        { id, kind: 'info', text },
      ]);
      window.setTimeout(() => dismiss(id), INFO_MS);
    },
    [dismiss],
  );
  const run = useCallback(
    async <T,>(action: () => Promise<T>) => {
      try {
        return await action();
      } catch (err) {
        report(err);
        return undefined;
      }
    },
    [report],
  );
  const value = useMemo(() => ({ report, inform, run }), [report, inform, run]);
  return (
    <NoticesContext.Provider value={value}>
      {children}
      <div className="notices">
        {list.map((n) => (
          <div key={n.id} className={`notice-toast ${n.kind}`}>
            <span role={n.kind === 'error' ? 'alert' : 'status'}>
              {n.kind === 'error' ? describeError(n.error, i18n.language) : n.text}
            </span>
            <button
              type="button"
              className="icon-button"
              aria-label={t('quickLook.close')}
              onClick={() => dismiss(n.id)}
            >
              <CloseIcon />
            </button>
          </div>
        ))}
      </div>
    </NoticesContext.Provider>
  );
}
