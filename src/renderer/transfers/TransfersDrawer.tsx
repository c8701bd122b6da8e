import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferView } from '../../shared/ipc';
import { api } from '../api';
import { FormError } from '../Field';
import { useAction } from '../useAction';
import { shown } from './format';
import { History } from './History';
import { CloseIcon } from './icons';
import { TransferRow, type TransferAction } from './TransferRow';
import { useNow } from './useNow';
import './transfers.css';

/**
 * The transfers drawer's content (the window docks it and decides when it is open): its own
 * header with the Downloads / History tabs, Clear finished and a close button; one row per file
 * or folder download; the history of verified downloads. Every call to main goes through one
 * error path (useAction): a failure is said in words, in the drawer, never swallowed.
 */
export function TransfersDrawer(p: { transfers: TransferView[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'now' | 'history'>('now');
  const { error, run } = useAction();
  const list = shown(p.transfers);
  // A retry counting down or a silence growing needs the clock; nothing else does.
  const now = useNow(list.some((x) => x.state === 'running' && (x.retry || x.quietSince)));
  const finished = list.some((x) => ['done', 'cancelled', 'failed'].includes(x.state));
  const act = (method: TransferAction, id: string) => void run(() => api[method](id));
  const tabId = (which: string) => `transfers-tab-${which}`;
  return (
    <aside
      className="transfers-drawer"
      aria-label={t('transfers.title')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') p.onClose();
      }}
    >
      <header className="drawer-head">
        <div role="tablist" className="drawer-tabs" aria-label={t('transfers.title')}>
          {(['now', 'history'] as const).map((which) => (
            <button
              key={which}
              id={tabId(which)}
              type="button"
              role="tab"
              aria-selected={tab === which}
              aria-controls={`${tabId(which)}-panel`}
              tabIndex={tab === which ? 0 : -1}
              onClick={() => setTab(which)}
              onKeyDown={(e) => {
                if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
                e.preventDefault();
                const next = which === 'now' ? 'history' : 'now';
                setTab(next);
                document.getElementById(tabId(next))?.focus();
              }}
            >
              {which === 'now' ? t('transfers.title') : t('transfers.history')}
            </button>
          ))}
        </div>
        <div className="drawer-tools">
          {tab === 'now' && (
            <button
              type="button"
              className="tx-quiet"
              disabled={!finished}
              onClick={() => void run(() => api.clearFinishedTransfers())}
            >
              {t('transfers.clear')}
            </button>
          )}
          <button
            type="button"
            className="tx-icon"
            aria-label={t('transfers.close')}
            title={t('transfers.close')}
            onClick={p.onClose}
          >
            <CloseIcon />
          </button>
        </div>
      </header>
      <div
        className="drawer-body"
        role="tabpanel"
        id={`${tabId(tab)}-panel`}
        aria-labelledby={tabId(tab)}
      >
        <FormError message={error} />
        {tab === 'history' ? (
          <History finished={list.filter((x) => x.state === 'done').length} />
        ) : list.length === 0 ? (
          <p className="tx-empty">{t('transfers.empty')}</p>
        ) : (
          <ul className="transfer-list">
            {list.map((x) => (
              <TransferRow key={x.id} x={x} now={now} act={act} />
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}
