/**
 * The status bar: how many items, what is selected and its size, how much of a large folder is
 * loaded — a polite live region, so a screen reader hears it change — and the downloads badge.
 */
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../shared/format';

export function StatusBar(p: {
  /** Absent while the count would not be true (loading, or only part of the folder here). */
  items?: number;
  picked: number;
  pickedBytes: number;
  /** What covers the order and the loading, when the folder is not all here. */
  progress?: string;
  badge: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => x.toLocaleString(i18n.language);
  return (
    <footer className="statusbar" aria-label={t('status.label')}>
      <span role="status" className="status-text">
        {p.items !== undefined && (
          <span>{p.items === 1 ? t('status.item') : t('status.items', { n: n(p.items) })}</span>
        )}
        {p.picked > 0 && (
          <span>{t('status.selected', { n: n(p.picked), size: formatBytes(p.pickedBytes) })}</span>
        )}
        {p.progress && <span>{p.progress}</span>}
      </span>
      <span className="status-badge">{p.badge}</span>
    </footer>
  );
}
