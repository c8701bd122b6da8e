/**
 * Where the window is: the places this user can open (main's locations), the folder to start
 * in — the remembered one, else the first location the user can read: a place that answers
 * AccessDenied is passed over for the next (#12) — Back/Forward/Up, the breadcrumb from the
 * location down, and Recent. Every move names the row to select once the folder is listed: the
 * folder the user came from.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocationView } from '../../shared/ipc';
import { UI_LIMITS } from '../../shared/uiSettings';
import { api } from '../api';
import { errorCodeOf } from '../model/errorCode';
import { withDisplayLabels } from '../model/locationLabels';
import type { FolderState } from '../model/folderState';
import {
  cameFrom,
  crumbsOf,
  emptyHistory,
  go,
  goBack,
  goForward,
  locationOf,
  parentOf,
  placeName,
  samePlace,
  startPlaces,
  withRecent,
  type History,
  type Place,
} from '../model/navigation';
import { useSettings } from '../settings/settings';

interface State {
  history: History;
  /** The row to select once the current place is listed. */
  select?: string;
  /** Places still to try while the first folder is denied. */
  fallbacks: Place[];
}

const selectFrom = (from: Place | null, to: Place | null) => {
  const child = to ? cameFrom(from, to) : undefined;
  return child ? `d:${child}` : undefined;
};

export function useNavigation() {
  const { settings, update } = useSettings();
  const { t } = useTranslation();
  const [given, setLocations] = useState<LocationView[] | null>(null);
  // Named in the user's language (the home's default label); every consumer uses these.
  const home = t('sidebar.home');
  const locations = useMemo(() => given && withDisplayLabels(given, { home }), [given, home]);
  const [locationsError, setLocationsError] = useState<unknown>(null);
  const [s, setState] = useState<State>({ history: emptyHistory(), fallbacks: [] });
  const place = s.history.current;

  const remembered = settings.place;
  const loadLocations = useCallback(() => {
    setLocationsError(null);
    api.locations().then(
      (list) => {
        setLocations(list);
        const [first, ...fallbacks] = startPlaces(list, remembered);
        setState((old) =>
          old.history.current || !first ? old : { history: go(old.history, first), fallbacks },
        );
      },
      (err: unknown) => setLocationsError(err),
    );
    // Read once: later changes of the remembered place are this window's own doing.
  }, []);

  useEffect(loadLocations, [loadLocations]);

  const navigate = useCallback((to: Place) => {
    setState((old) => ({
      history: go(old.history, to),
      select: selectFrom(old.history.current, to),
      fallbacks: [],
    }));
  }, []);
  const step = useCallback((move: (h: History) => History | null) => {
    setState((old) => {
      const history = move(old.history);
      if (!history) return old;
      return { history, select: selectFrom(old.history.current, history.current), fallbacks: [] };
    });
  }, []);
  const back = useCallback(() => step(goBack), [step]);
  const forward = useCallback(() => step(goForward), [step]);

  const here = place && locations ? locationOf(place, locations) : undefined;
  const root: Place | null = here
    ? { bucket: here.bucket, prefix: here.prefix }
    : place
      ? { bucket: place.bucket, prefix: '' }
      : null;
  const up = place && root ? parentOf(place, root) : null;

  /** Follows the listing: remembers a folder that opened, passes over a denied first one. */
  const listed = useCallback(
    (fs: FolderState) => {
      if (fs.status === 'ready' && fs.place) {
        const p = fs.place;
        setState((old) => (old.fallbacks.length ? { ...old, fallbacks: [] } : old));
        update((u) =>
          samePlace(u.place, p) && samePlace(u.recent[0], p)
            ? {}
            : { place: p, recent: withRecent(u.recent, p, UI_LIMITS.recent) },
        );
      } else if (fs.status === 'error') {
        const code = errorCodeOf(fs.error);
        if (code !== 'ACCESS_DENIED' && code !== 'NO_SUCH_BUCKET') return;
        setState((old) => {
          const [next, ...fallbacks] = old.fallbacks;
          return next ? { history: { ...old.history, current: next }, fallbacks } : old;
        });
      }
    },
    [update],
  );

  return {
    locations,
    locationsError,
    reloadLocations: loadLocations,
    place,
    select: s.select,
    canBack: s.history.back.length > 0,
    canForward: s.history.forward.length > 0,
    up,
    here,
    crumbs: place && root ? crumbsOf(place, root, here?.label ?? place.bucket) : [],
    /** What the folder is called on screen ('' before there is one). */
    name: place ? placeName(place, locations ?? []) : '',
    navigate,
    back,
    forward,
    listed,
  };
}
