import { useTranslation } from 'react-i18next';
import type { TransferView } from '../../shared/ipc';
import { describeError } from '../errors';

export function Transfers({ transfers }: { transfers: TransferView[] }) {
  const { t, i18n } = useTranslation();
  if (transfers.length === 0) return null;
  return (
    <aside className="transfers" aria-label={t('transfers.title')}>
      <h2>{t('transfers.title')}</h2>
      <ul>
        {transfers.map((x) => (
          <li key={x.id}>
            <span className="name">{x.name}</span>
            <progress
              max={x.bytesTotal ?? 1}
              value={x.state === 'done' ? (x.bytesTotal ?? 1) : x.bytesDone}
            />
            <span>{t(`transfers.${x.state}`)}</span>
            {x.filesTotal !== undefined && (
              <span>{t('transfers.files', { done: x.filesDone ?? 0, total: x.filesTotal })}</span>
            )}
            {x.skipped.length > 0 && (
              <span title={x.skipped.map((s) => `${s.key}: ${s.reason}`).join('\n')}>
                {t('transfers.skipped', { count: x.skipped.length })}
              </span>
            )}
            {x.error && (
              <span role="alert" className="error">
                {describeError({ view: x.error }, i18n.language)}
              </span>
            )}
            {x.state === 'running' && (
              <button type="button" onClick={() => void window.kura.cancelTransfer(x.id)}>
                {t('transfers.cancel')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
