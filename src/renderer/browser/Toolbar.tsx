/**
 * The toolbar, as Explorer and Finder lay it out: Back, Forward, Up, Refresh and the path
 * (breadcrumb; its last segment is where you are, not a link), one search field with its scope
 * (This folder: filter as you type; Subfolders: the recursive search); below, the actions on
 * the selection and the view, language and account controls. Every control keeps its place
 * whatever the folder: nothing appears or disappears, actions are disabled instead.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Crumb } from '../model/navigation';
import { ContextMenu, type MenuItem } from './ContextMenu';
import {
  BackIcon,
  BucketIcon,
  ChevronDownIcon,
  CloseIcon,
  CopyIcon,
  DownloadIcon,
  DownloadToIcon,
  EyeIcon,
  ForwardIcon,
  GearIcon,
  RefreshIcon,
  SearchIcon,
  SidebarIcon,
  UpIcon,
  ViewIcon,
} from './icons';
import type { SearchState } from './useSearch';

export type SearchScope = 'folder' | 'subfolders';

function IconButton(p: {
  label: string;
  tip?: string;
  disabled?: boolean;
  onClick: () => void;
  children: React.ReactNode;
  pressed?: boolean;
}) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={p.label}
      title={p.tip ?? p.label}
      disabled={p.disabled}
      aria-pressed={p.pressed}
      onClick={p.onClick}
    >
      {p.children}
    </button>
  );
}

export function Breadcrumb({ crumbs, onOpen }: { crumbs: Crumb[]; onOpen: (c: Crumb) => void }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('toolbar.path')} className="crumbs">
      <ol>
        {crumbs.map((c, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={c.place.prefix || '/'} className={i === 0 ? 'root' : undefined}>
              {i === 0 && <BucketIcon className="crumb-icon" />}
              {last ? (
                <span aria-current="page" className="crumb current" title={c.label}>
                  {c.label}
                </span>
              ) : (
                <button type="button" className="crumb" title={c.label} onClick={() => onOpen(c)}>
                  {c.label}
                </button>
              )}
              {!last && (
                <span className="sep" aria-hidden="true">
                  ›
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export interface ToolbarProps {
  canBack: boolean;
  canForward: boolean;
  canUp: boolean;
  onBack: () => void;
  onForward: () => void;
  onUp: () => void;
  onRefresh: () => void;
  crumbs: Crumb[];
  onCrumb: (c: Crumb) => void;
  sidebarCollapsed: boolean;
  onToggleSidebar: () => void;
  scope: SearchScope;
  onScope: (s: SearchScope) => void;
  text: string;
  onText: (t: string) => void;
  onSubmitSearch: () => void;
  search: SearchState | null;
  onStopSearch: () => void;
  onClearSearch: () => void;
  searchInput: React.RefObject<HTMLInputElement | null>;
  selectionCount: number;
  canPreview: boolean;
  onDownload: () => void;
  onDownloadTo: () => void;
  onPreview: () => void;
  onCopyUri: () => void;
  density: 'compact' | 'comfortable';
  onDensity: (d: 'compact' | 'comfortable') => void;
  email: string;
  /** The account menu (sign out, two-step verification). */
  account: React.ReactNode;
  onLanguage: () => void;
  /** What the Settings panel holds besides the view (the update setting). */
  settings?: React.ReactNode;
}

/**
 * The Settings panel: a popover under its button (Escape or a click outside closes it and gives
 * the focus back), with the list's density and what the app adds (updates).
 */
function SettingsPanel(p: {
  density: 'compact' | 'comfortable';
  onDensity: (d: 'compact' | 'comfortable') => void;
  children?: React.ReactNode;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const panel = useRef<HTMLDivElement>(null);
  const { onClose } = p;
  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('input, button, summary')?.focus();
    const away = (e: PointerEvent) => {
      const target = e.target as Node;
      if (panel.current?.contains(target)) return;
      if ((target as Element).closest?.('.settings-button')) return;
      onClose();
    };
    document.addEventListener('pointerdown', away, true);
    return () => document.removeEventListener('pointerdown', away, true);
  }, [onClose]);
  const option = (d: 'compact' | 'comfortable', label: string) => (
    <label className="settings-option">
      <input
        type="radio"
        name="density"
        checked={p.density === d}
        onChange={() => p.onDensity(d)}
      />
      {label}
    </label>
  );
  return (
    <div
      ref={panel}
      className="settings-panel"
      role="dialog"
      aria-label={t('settings.title')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <h2 className="settings-heading">{t('settings.title')}</h2>
      <fieldset className="settings-group">
        <legend>{t('settings.density')}</legend>
        {option('compact', t('settings.compact'))}
        {option('comfortable', t('settings.comfortable'))}
      </fieldset>
      {p.children}
    </div>
  );
}

export function Toolbar(p: ToolbarProps) {
  const { t } = useTranslation();
  const [viewMenu, setViewMenu] = useState<{ x: number; y: number } | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const settingsButton = useRef<HTMLButtonElement>(null);
  const viewButton = useRef<HTMLButtonElement>(null);
  const nothing = p.selectionCount === 0;
  const viewItems: MenuItem[] = [
    {
      label: t('settings.compact'),
      checked: p.density === 'compact',
      act: () => p.onDensity('compact'),
    },
    {
      label: t('settings.comfortable'),
      checked: p.density === 'comfortable',
      act: () => p.onDensity('comfortable'),
    },
    {
      label: p.sidebarCollapsed ? t('toolbar.showSidebar') : t('toolbar.hideSidebar'),
      act: p.onToggleSidebar,
    },
  ];
  const radio = (s: SearchScope, label: string) => (
    <button
      type="button"
      role="radio"
      aria-checked={p.scope === s}
      tabIndex={p.scope === s ? 0 : -1}
      className="scope-option"
      onClick={() => p.onScope(s)}
      onKeyDown={(e) => {
        if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) {
          e.preventDefault();
          p.onScope(s === 'folder' ? 'subfolders' : 'folder');
          (
            e.currentTarget.parentElement?.querySelector('[aria-checked="false"]') as HTMLElement
          )?.focus();
        }
      }}
    >
      {label}
    </button>
  );
  return (
    <header className="toolbar-area">
      <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
        <IconButton
          label={p.sidebarCollapsed ? t('toolbar.showSidebar') : t('toolbar.hideSidebar')}
          pressed={!p.sidebarCollapsed}
          onClick={p.onToggleSidebar}
        >
          <SidebarIcon />
        </IconButton>
        <div className="nav-buttons">
          <IconButton
            label={t('toolbar.back')}
            tip={t('toolbar.backTip')}
            disabled={!p.canBack}
            onClick={p.onBack}
          >
            <BackIcon />
          </IconButton>
          <IconButton
            label={t('toolbar.forward')}
            tip={t('toolbar.forwardTip')}
            disabled={!p.canForward}
            onClick={p.onForward}
          >
            <ForwardIcon />
          </IconButton>
          <IconButton
            label={t('toolbar.up')}
            tip={t('toolbar.upTip')}
            disabled={!p.canUp}
            onClick={p.onUp}
          >
            <UpIcon />
          </IconButton>
          <IconButton
            label={t('toolbar.refresh')}
            tip={t('toolbar.refreshTip')}
            onClick={p.onRefresh}
          >
            <RefreshIcon />
          </IconButton>
        </div>
        <Breadcrumb crumbs={p.crumbs} onOpen={p.onCrumb} />
        <form
          role="search"
          className="search-field"
          onSubmit={(e) => {
            e.preventDefault();
            p.onSubmitSearch();
          }}
        >
          <div role="radiogroup" aria-label={t('toolbar.scope')} className="scope">
            {radio('folder', t('toolbar.thisFolder'))}
            {radio('subfolders', t('toolbar.subfolders'))}
          </div>
          <div className="search-box">
            <SearchIcon className="search-icon" />
            <input
              ref={p.searchInput}
              type="search"
              aria-label={p.scope === 'folder' ? t('browser.filter') : t('browser.search')}
              placeholder={p.scope === 'folder' ? t('browser.filter') : t('browser.search')}
              value={p.text}
              onChange={(e) => p.onText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && p.text) {
                  e.preventDefault();
                  p.onText('');
                  p.onClearSearch();
                }
              }}
            />
            {p.scope === 'subfolders' && p.search?.state === 'running' ? (
              // Distinct keys: a reused node turned into the submit button mid-click would submit.
              <button key="stop" type="button" className="search-action" onClick={p.onStopSearch}>
                {t('browser.stopSearch')}
              </button>
            ) : p.scope === 'subfolders' ? (
              <button
                key="search"
                type="submit"
                className="search-action"
                disabled={!p.text.trim()}
              >
                {t('browser.searchGo')}
              </button>
            ) : null}
          </div>
        </form>
      </div>
      <div className="commandbar" role="toolbar" aria-label={t('toolbar.commands')}>
        <button type="button" className="command" disabled={nothing} onClick={p.onDownload}>
          <DownloadIcon />
          {t('toolbar.download')}
        </button>
        <button type="button" className="command" disabled={nothing} onClick={p.onDownloadTo}>
          <DownloadToIcon />
          {t('toolbar.downloadTo')}
        </button>
        <button
          type="button"
          className="command"
          disabled={!p.canPreview}
          title={t('toolbar.previewTip')}
          onClick={p.onPreview}
        >
          <EyeIcon />
          {t('toolbar.preview')}
        </button>
        <button
          type="button"
          className="command"
          disabled={p.selectionCount !== 1}
          onClick={p.onCopyUri}
        >
          <CopyIcon />
          {t('toolbar.copyUri')}
        </button>
        {p.search && p.search.state !== 'running' && (
          <button type="button" className="command" onClick={p.onClearSearch}>
            <CloseIcon />
            {t('browser.clearSearch')}
          </button>
        )}
        <span className="spacer" />
        <button
          ref={viewButton}
          type="button"
          className="command"
          aria-haspopup="menu"
          aria-expanded={!!viewMenu}
          onClick={() => {
            const r = viewButton.current!.getBoundingClientRect();
            setViewMenu({ x: r.left, y: r.bottom + 2 });
          }}
        >
          <ViewIcon />
          {t('toolbar.view')}
          <ChevronDownIcon className="small" />
        </button>
        <span className="settings-anchor">
          <button
            ref={settingsButton}
            type="button"
            className="command settings-button"
            aria-expanded={settingsOpen}
            onClick={() => setSettingsOpen((o) => !o)}
          >
            <GearIcon />
            {t('settings.title')}
          </button>
          {settingsOpen && (
            <SettingsPanel
              density={p.density}
              onDensity={p.onDensity}
              onClose={() => {
                setSettingsOpen(false);
                settingsButton.current?.focus();
              }}
            >
              {p.settings}
            </SettingsPanel>
          )}
        </span>
        <button
          type="button"
          className="command"
          lang={t('language') === '日本語' ? 'ja' : 'en'}
          onClick={p.onLanguage}
        >
          {t('language')}
        </button>
        <span className="who" title={p.email}>
          {t('browser.signedInAs', { email: p.email })}
        </span>
        {p.account}
      </div>
      {viewMenu && (
        <ContextMenu
          x={viewMenu.x}
          y={viewMenu.y}
          label={t('toolbar.view')}
          items={viewItems}
          onClose={() => setViewMenu(null)}
        />
      )}
    </header>
  );
}
