/** How locations are named in the window: the home's default label in the user's language. */
import { describe, expect, it } from 'vitest';
import type { LocationView } from '../../src/shared/ipc';
import { placeName } from '../../src/renderer/model/navigation';
import { HOME_LABEL } from '../../src/shared/profile';
import {
  displayLabel,
  splitPlaces,
  withDisplayLabels,
} from '../../src/renderer/model/locationLabels';

const home: LocationView = {
  id: 'home:kura-demo/eu-west-1:abc/',
  bucket: 'kura-demo',
  prefix: 'eu-west-1:abc/',
  label: 'My files',
  kind: 'home',
};
const group: LocationView = {
  id: 'group:kura-demo/design/',
  bucket: 'kura-demo',
  prefix: 'design/',
  label: 'design',
  kind: 'group',
};
const bucket: LocationView = {
  id: 'bucket:kura-demo/',
  bucket: 'kura-demo',
  prefix: '',
  label: 'kura-demo',
  kind: 'bucket',
};

describe('location labels', () => {
  it('knows the label main gives a home it derives', () => {
    expect(HOME_LABEL).toBe('My files');
  });

  it('shows the home’s default label in the user’s language, and an administrator’s as written', () => {
    expect(displayLabel(home, { home: 'マイファイル' })).toBe('マイファイル');
    expect(displayLabel(home, { home: 'My files' })).toBe('My files');
    // Derived with several buckets, the home names its bucket.
    expect(displayLabel({ ...home, label: 'My files (kura-demo)' }, { home: 'マイファイル' })).toBe(
      'マイファイル (kura-demo)',
    );
    expect(
      displayLabel({ ...home, label: 'My files (kura-archive)' }, { home: 'マイファイル' }),
    ).toBe('My files (kura-archive)');
    expect(displayLabel({ ...home, label: 'Dossier perso' }, { home: 'マイファイル' })).toBe(
      'Dossier perso',
    );
    // Only a home: a bucket or group someone called "My files" keeps its name.
    expect(displayLabel({ ...bucket, label: 'My files' }, { home: 'マイファイル' })).toBe(
      'My files',
    );
    expect(displayLabel(group, { home: 'マイファイル' })).toBe('design');
  });

  it('renames only what it must, keeping the others as they are', () => {
    const list = [bucket, home, group];
    const shown = withDisplayLabels(list, { home: 'マイファイル' });
    expect(shown.map((l) => l.label)).toEqual(['kura-demo', 'マイファイル', 'design']);
    expect(shown[0]).toBe(bucket);
    expect(shown[2]).toBe(group);
    expect(list[1]!.label).toBe('My files');
  });

  it('lists group folders apart from the user’s own places, each in order', () => {
    const g2 = { ...group, id: 'group:kura-demo/sales/', prefix: 'sales/', label: 'sales' };
    expect(splitPlaces([home, group, bucket, g2])).toEqual({
      places: [home, bucket],
      groups: [group, g2],
    });
  });
});

describe('place names', () => {
  it('calls a location by its label (a home is never its identity id), a folder by its name', () => {
    const list = [bucket, home];
    expect(placeName({ bucket: 'kura-demo', prefix: 'eu-west-1:abc/' }, list)).toBe('My files');
    expect(placeName({ bucket: 'kura-demo', prefix: 'eu-west-1:abc/docs/' }, list)).toBe('docs');
    expect(placeName({ bucket: 'kura-demo', prefix: '' }, list)).toBe('kura-demo');
    expect(placeName({ bucket: 'other', prefix: '' }, list)).toBe('other');
  });
});
