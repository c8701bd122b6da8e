/**
 * The window's remembered settings (issue #11 item 10), read from and saved to main (not the
 * page's storage: the browser transport's origin changes port on every launch). Loaded at
 * start and again when someone signs in (their folders); every change is saved at once, one
 * save at a time, the latest winning. The language is applied as soon as it is known.
 *
 * A change made while a load is on its way (the language switched as the sign-in completes)
 * wins over the loaded value, and its save waits for the load: saved earlier, the signed-out
 * copy would overwrite the user's folders, and the load's answer, read before the save, would
 * take the change back.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../shared/ipc';
import { DEFAULT_UI_SETTINGS, type UiSettings } from '../../shared/uiSettings';
import { api } from '../api';

export type SettingsUpdate = Partial<UiSettings> | ((s: UiSettings) => Partial<UiSettings>);

interface SettingsApi {
  settings: UiSettings;
  update: (change: SettingsUpdate) => void;
}

const SettingsContext = createContext<SettingsApi>({
  settings: DEFAULT_UI_SETTINGS,
  update: () => undefined,
});

export const useSettings = () => useContext(SettingsContext);

/**
 * Loads and saves the settings; `ready` once they are loaded for the current session state
 * (the browser window waits for it, so it opens the remembered folder, not the first one).
 */
export function useSettingsStore(session: SessionView['status'], onError: (err: unknown) => void) {
  const { i18n } = useTranslation();
  const [settings, setSettings] = useState<UiSettings>(DEFAULT_UI_SETTINGS);
  const [readyFor, setReadyFor] = useState<string | null>(null);
  const latest = useRef(settings);
  const saving = useRef<{ busy: boolean; again: boolean }>({ busy: false, again: false });
  /** While a load is on its way: the keys changed since it began, and whether to save then. */
  const loading = useRef<{ changed: Set<keyof UiSettings>; save: boolean } | null>(null);
  const signedIn = session === 'signedIn';
  const phase = signedIn ? 'signedIn' : 'signedOut';

  const save = useCallback(() => {
    const s = saving.current;
    if (s.busy) {
      s.again = true;
      return;
    }
    s.busy = true;
    api.saveUiSettings(latest.current).then(
      () => {
        s.busy = false;
        if (s.again) {
          s.again = false;
          save();
        }
      },
      (err: unknown) => {
        s.busy = false;
        s.again = false;
        onError(err);
      },
    );
  }, [onError]);

  useEffect(() => {
    if (session === 'restoring') return;
    let live = true;
    // A load that replaces one still on its way keeps what was changed meanwhile.
    const before = loading.current;
    const load = { changed: new Set(before?.changed), save: before?.save ?? false };
    loading.current = load;
    const landed = (loaded: UiSettings | undefined) => {
      if (loading.current === load) loading.current = null;
      if (loaded) {
        const mine = Object.fromEntries([...load.changed].map((k) => [k, latest.current[k]]));
        latest.current = { ...loaded, ...mine };
        setSettings(latest.current);
      }
      setReadyFor(phase);
      if (load.save) save();
    };
    api.uiSettings().then(
      (s) => {
        if (live) landed(s);
      },
      (err: unknown) => {
        if (!live) return;
        onError(err);
        landed(undefined); // the defaults apply
      },
    );
    return () => {
      live = false;
    };
  }, [phase, session, onError, save]);

  useEffect(() => {
    if (settings.language && settings.language !== i18n.language)
      void i18n.changeLanguage(settings.language);
  }, [settings.language, i18n]);

  const update = useCallback(
    (change: SettingsUpdate) => {
      const patch = typeof change === 'function' ? change(latest.current) : change;
      if (Object.keys(patch).length === 0) return;
      latest.current = { ...latest.current, ...patch };
      setSettings(latest.current);
      const load = loading.current;
      if (load) {
        for (const k of Object.keys(patch) as (keyof UiSettings)[]) load.changed.add(k);
        load.save = true;
      } else save();
    },
    [save],
  );

  return { settings, update, ready: readyFor === phase };
}

export function SettingsProvider({
  value,
  children,
}: {
  value: SettingsApi;
  children: React.ReactNode;
}) {
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}
