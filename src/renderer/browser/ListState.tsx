/**
 * What the list shows where its rows would be, at once and in plain words (#11 items 2 and 7):
 * a folder opening (a spinner and placeholder rows, never the previous folder's rows), an error
 * with Retry, an empty folder, a filter or a search that found nothing.
 */
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { EmptyIcon, SearchIcon, WarningIcon } from './icons';

export type ListStateView =
  | { kind: 'loading'; name: string }
  | { kind: 'error'; name: string; error: unknown; onRetry: () => void }
  | { kind: 'empty' }
  | { kind: 'noMatch'; text: string; onClear: () => void }
  | { kind: 'searching'; folder: string }
  | { kind: 'noResults'; folder: string; text: string }
  | { kind: 'noLocation' };

export function ListState({ view }: { view: ListStateView }) {
  const { t, i18n } = useTranslation();
  switch (view.kind) {
    case 'loading':
      return (
        <div className="list-state loading">
          <div className="skeleton" aria-hidden="true">
            {Array.from({ length: 9 }, (_, i) => (
              <div key={i} className="skeleton-row">
                <span className="skeleton-icon" />
                <span className="skeleton-bar" style={{ width: `${34 - ((i * 7) % 18)}%` }} />
                <span className="skeleton-bar short" />
              </div>
            ))}
          </div>
          <p role="status" className="state-line">
            <span className="spinner" aria-hidden="true" />
            {view.name ? t('list.loading', { name: view.name }) : t('sidebar.loading')}
          </p>
        </div>
      );
    case 'error':
      return (
        <div className="list-state">
          <div role="alert" className="state-box error-box">
            <WarningIcon className="state-icon" />
            <p className="state-title">{t('list.failed', { name: view.name })}</p>
            <p>{describeError(view.error, i18n.language)}</p>
            <button type="button" className="primary" onClick={view.onRetry}>
              {t('list.retry')}
            </button>
          </div>
        </div>
      );
    case 'searching':
      return (
        <div className="list-state">
          <p role="status" className="state-line">
            <span className="spinner" aria-hidden="true" />
            {t('list.searching', { folder: view.folder })}
          </p>
        </div>
      );
    default: {
      const message =
        view.kind === 'empty'
          ? t('list.empty')
          : view.kind === 'noMatch'
            ? t('list.noMatch', { text: view.text })
            : view.kind === 'noResults'
              ? t('list.noResults', { folder: view.folder, text: view.text })
              : t('list.noLocation');
      const Icon = view.kind === 'empty' || view.kind === 'noLocation' ? EmptyIcon : SearchIcon;
      return (
        <div className="list-state">
          <div role="status" className="state-box">
            <Icon className="state-icon" />
            <p>{message}</p>
            {view.kind === 'noMatch' && (
              <button type="button" onClick={view.onClear}>
                {t('list.clearFilter')}
              </button>
            )}
          </div>
        </div>
      );
    }
  }
}
