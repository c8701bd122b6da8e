/**
 * The sidebar of places, as Finder's and Explorer's: the locations this user can open (from
 * main: buckets, their home folder, group folders), Recent folders, and Downloads (opens the
 * downloads panel). Sections fold; the sidebar hides (toolbar) and its width is remembered.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocationView } from '../../shared/ipc';
import { UI_LIMITS } from '../../shared/uiSettings';
import { splitPlaces } from '../model/locationLabels';
import { locationOf, placeName, type Place } from '../model/navigation';
import {
  BucketIcon,
  ChevronDownIcon,
  ChevronRightSmall,
  ClockIcon,
  FolderLineIcon,
  GroupIcon,
  HomeIcon,
  TrayIcon,
} from './icons';
import { Splitter } from './Splitter';

const LOCATION_ICON = {
  bucket: BucketIcon,
  home: HomeIcon,
  group: GroupIcon,
  folder: FolderLineIcon,
} as const;

function Section(p: { title: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(true);
  return (
    <section className="side-section">
      <h2>
        <button
          type="button"
          className="side-heading"
          aria-expanded={open}
          title={t(open ? 'sidebar.collapse' : 'sidebar.expand', { section: p.title })}
          onClick={() => setOpen(!open)}
        >
          {open ? <ChevronDownIcon className="small" /> : <ChevronRightSmall className="small" />}
          {p.title}
        </button>
      </h2>
      {open && p.children}
    </section>
  );
}

function PlaceList(p: {
  list: LocationView[];
  hereId: string | undefined;
  onOpen: (place: Place) => void;
}) {
  const { t } = useTranslation();
  return (
    <ul>
      {p.list.map((l) => {
        // A kind this build does not know yet (main may add some) is drawn as a folder.
        const Icon =
          (LOCATION_ICON as Record<string, typeof FolderLineIcon>)[l.kind] ?? FolderLineIcon;
        const active = p.hereId === l.id;
        const uri = `s3://${l.bucket}/${l.prefix}`;
        return (
          <li key={l.id}>
            <button
              type="button"
              className={`side-item${active ? ' active' : ''}`}
              aria-current={active ? 'location' : undefined}
              title={l.kind === 'group' ? t('sidebar.groupTip', { name: l.label, uri }) : uri}
              onClick={() => p.onOpen({ bucket: l.bucket, prefix: l.prefix })}
            >
              <Icon />
              <span className="side-label">{l.label}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function Sidebar(p: {
  locations: LocationView[] | null;
  current: Place | null;
  recent: Place[];
  onOpen: (place: Place) => void;
  onDownloads: () => void;
  width: number;
  onWidth: (w: number, done: boolean) => void;
}) {
  const { t } = useTranslation();
  const here = p.current ? locationOf(p.current, p.locations ?? []) : undefined;
  const { places, groups } = splitPlaces(p.locations ?? []);
  return (
    <nav className="sidebar" aria-label={t('sidebar.label')} style={{ width: p.width }}>
      <div className="side-scroll">
        <Section title={t('sidebar.places')}>
          {p.locations === null ? (
            <p className="side-note" role="status">
              {t('sidebar.loading')}
            </p>
          ) : (
            <PlaceList list={places} hereId={here?.id} onOpen={p.onOpen} />
          )}
        </Section>
        {groups.length > 0 && (
          <Section title={t('sidebar.groups')}>
            <PlaceList list={groups} hereId={here?.id} onOpen={p.onOpen} />
          </Section>
        )}
        <Section title={t('sidebar.recent')}>
          {p.recent.length === 0 ? (
            <p className="side-note">{t('sidebar.noRecent')}</p>
          ) : (
            <ul>
              {p.recent.map((r) => {
                const label = placeName(r, p.locations ?? []);
                return (
                  <li key={`${r.bucket}/${r.prefix}`}>
                    <button
                      type="button"
                      className="side-item"
                      title={`s3://${r.bucket}/${r.prefix}`}
                      onClick={() => p.onOpen(r)}
                    >
                      <ClockIcon />
                      <span className="side-label">{label}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </Section>
        <ul className="side-bottom">
          <li>
            <button type="button" className="side-item" onClick={p.onDownloads}>
              <TrayIcon />
              <span className="side-label">{t('sidebar.downloads')}</span>
            </button>
          </li>
        </ul>
      </div>
      <Splitter
        orientation="vertical"
        className="side-resize"
        value={p.width}
        min={UI_LIMITS.sidebarWidth.min}
        max={UI_LIMITS.sidebarWidth.max}
        label={t('sidebar.resize')}
        onChange={p.onWidth}
      />
    </nav>
  );
}
