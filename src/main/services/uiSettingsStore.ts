/**
 * The window's remembered settings (issue #11 item 10), in `ui-settings.json` in the data
 * folder: the app's part (language, sort, density, layout) once, and per profile and user the
 * current folder and Recent — so one person's folders are never offered to another. Written
 * atomically (a temporary file, then rename); a file that cannot be read is ignored (the
 * defaults apply), never fatal. Arguments were validated by the IPC schema.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_UI_SETTINGS, type PlaceRef, type UiSettings } from '../../shared/uiSettings';

type AppPart = Omit<UiSettings, 'place' | 'recent'>;
interface UserPart {
  place?: PlaceRef;
  recent: PlaceRef[];
}
interface Stored {
  version: 1;
  app?: AppPart;
  users?: Record<string, UserPart>;
}

/** At most this many users are remembered (the least recently saved are dropped). */
const USERS_KEPT = 50;

export class UiSettingsStore {
  constructor(private readonly path: string) {}

  private read(): Stored {
    try {
      const s = JSON.parse(readFileSync(this.path, 'utf8')) as Stored;
      return s && s.version === 1 ? s : { version: 1 };
    } catch {
      return { version: 1 };
    }
  }

  /** `user`: "<profileId>/<user>" of the signed-in user, or undefined when nobody is. */
  get(user: string | undefined): UiSettings {
    const s = this.read();
    const app = { ...DEFAULT_UI_SETTINGS, ...s.app };
    const mine = user ? s.users?.[user] : undefined;
    return {
      ...app,
      recent: mine?.recent ?? [],
      ...(mine?.place ? { place: mine.place } : {}),
    };
  }

  save(settings: UiSettings, user: string | undefined): void {
    const s = this.read();
    const { place, recent, ...app } = settings;
    const next: Stored = { version: 1, app, users: { ...s.users } };
    if (user) {
      const users = next.users!;
      delete users[user]; // re-inserted last: insertion order is recency
      users[user] = { recent, ...(place ? { place } : {}) };
      const names = Object.keys(users);
      for (const old of names.slice(0, Math.max(0, names.length - USERS_KEPT))) delete users[old];
    }
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
