/**
 * Locations (src/main/services/locations.ts), the pure rules: which role opens a key, which of a
 * profile's locations a user sees (and their `${identityId}` filled in), and the places derived
 * for a profile that lists none.
 */
import { describe, expect, it } from 'vitest';
import { KuraError } from '../../../src/main/services/kuraError';
import {
  declaredLocations,
  deriveLocations,
  locationView,
  needsIdentityId,
  roleForKey,
  type Location,
  type LocationProbe,
} from '../../../src/main/services/locations';
import type { ConnectionProfile, ProfileLocation } from '../../../src/shared/profile';

const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const ID = 'ap-northeast-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

const profile = (locations: ProfileLocation[]): ConnectionProfile => ({
  version: 1,
  name: 'Acme',
  region: 'ap-northeast-1',
  userPoolId: 'ap-northeast-1_AbC123',
  userPoolClientId: 'abc123',
  identityPoolId: 'ap-northeast-1:12345678-1234-4234-a234-123456789012',
  locations,
});

const at = (bucket: string, prefix: string, roleArn?: string): Location => ({
  id: `${bucket}/${prefix}`,
  bucket,
  prefix,
  label: prefix || bucket,
  kind: roleArn ? 'group' : 'folder',
  ...(roleArn ? { roleArn } : {}),
});

describe('roleForKey: the role of the deepest location with a role that holds the key', () => {
  const nfc = 'デザイン/'.normalize('NFC');
  const locations = [
    at('acme', `${ID}/`),
    at('acme', 'design/', role('Design')),
    at('acme', 'design/public/'),
    at('acme', 'design/secret/', role('Secret')),
    at('acme', 'sales/', role('Sales')),
    at('acme', nfc, role('Kana')),
    at('other', 'design/', role('OtherDesign')),
  ];

  it.each([
    ['a key in a group folder', 'acme', 'design/spec.txt', role('Design')],
    ['the folder itself', 'acme', 'sales/', role('Sales')],
    [
      'a deeper location without a role keeps its parent’s',
      'acme',
      'design/public/a.png',
      role('Design'),
    ],
    ['a deeper location with a role wins', 'acme', 'design/secret/plan.txt', role('Secret')],
    ['the prefix without its slash is not inside', 'acme', 'design', undefined],
    ['a sibling that starts alike is not inside', 'acme', 'designer/x', undefined],
    ['the home has no role: the pool’s choice', 'acme', `${ID}/notes.txt`, undefined],
    ['outside every location', 'acme', 'top.txt', undefined],
    ['the same prefix in another bucket', 'other', 'design/x', role('OtherDesign')],
    ['a bucket with no location', 'third', 'design/x', undefined],
    ['keys are compared as they are (NFC)', 'acme', `${nfc}a.txt`, role('Kana')],
    ['an NFD twin is another key', 'acme', `${nfc.normalize('NFD')}a.txt`, undefined],
  ])('%s', (_, bucket, key, expected) => {
    expect(roleForKey(locations, bucket, key)).toBe(expected);
  });
});

describe("declaredLocations: the profile's locations a user sees", () => {
  const p = profile([
    { bucket: 'acme', prefix: '${identityId}/', label: 'My files' },
    { bucket: 'acme', prefix: 'design/', label: 'Design', roleArn: role('Design') },
    { bucket: 'acme', prefix: 'sales/', label: 'Sales', roleArn: role('Sales') },
    { bucket: 'acme', prefix: 'shared/', label: 'Shared' },
    { bucket: 'acme', label: 'Everything' },
  ]);

  it('fills in the identity id, hides locations whose role the token lacks, keeps the order', () => {
    expect(declaredLocations(p, ID, [role('Design')])).toEqual([
      { id: `home:acme/${ID}/`, bucket: 'acme', prefix: `${ID}/`, label: 'My files', kind: 'home' },
      {
        id: 'group:acme/design/',
        bucket: 'acme',
        prefix: 'design/',
        label: 'Design',
        kind: 'group',
        roleArn: role('Design'),
      },
      {
        id: 'folder:acme/shared/',
        bucket: 'acme',
        prefix: 'shared/',
        label: 'Shared',
        kind: 'folder',
      },
      { id: 'bucket:acme/', bucket: 'acme', prefix: '', label: 'Everything', kind: 'bucket' },
    ]);
  });

  it.each([
    ["$'", "$'"],
    ['$&', '$&'],
    ['$1', '$1'],
    ['$$', '$$'],
  ])('puts an identity id holding %s in as it is (no replacement patterns)', (pattern) => {
    const odd = `ap-northeast-1:${pattern}abc`;
    const [home] = declaredLocations(p, odd, []);
    expect(home!.prefix).toBe(`${odd}/`);
  });

  it('needs the identity id only for a location the user sees', () => {
    expect(needsIdentityId(p, [])).toBe(true);
    const groupHome = profile([
      { bucket: 'acme', prefix: 'design/${identityId}/', label: 'Mine', roleArn: role('Design') },
    ]);
    expect(needsIdentityId(groupHome, [])).toBe(false);
    expect(needsIdentityId(groupHome, [role('Design')])).toBe(true);
    expect(needsIdentityId(profile([{ bucket: 'acme', label: 'Acme' }]), [])).toBe(false);
  });

  it('shows the renderer a location without its role', () => {
    const [, design] = declaredLocations(p, ID, [role('Design')]);
    expect(locationView(design!)).toEqual({
      id: 'group:acme/design/',
      bucket: 'acme',
      prefix: 'design/',
      label: 'Design',
      kind: 'group',
    });
  });
});

describe('deriveLocations: a profile that lists none', () => {
  type Answer = 'ok' | 'denied' | 'missing' | 'broken';
  /** A probe answering from a table of `bucket/prefix` → outcome. */
  const probe = (buckets: string[], answers: Record<string, Answer>): LocationProbe => ({
    listBuckets: () =>
      Promise.resolve(buckets.map((name) => ({ name, source: 'profile' as const }))),
    listFolder: (bucket, prefix) => {
      const a = answers[`${bucket}/${prefix}`] ?? 'denied';
      if (a === 'ok') return Promise.resolve({});
      if (a === 'denied') return Promise.reject(new KuraError('ACCESS_DENIED'));
      if (a === 'missing') return Promise.reject(new KuraError('NO_SUCH_BUCKET'));
      return Promise.reject(new KuraError('NETWORK'));
    },
    identityId: () => Promise.resolve(ID),
  });

  it('opens each bucket at its top when that may be listed', async () => {
    const found = await deriveLocations(probe(['a', 'b'], { 'a/': 'ok', 'b/': 'ok' }));
    expect(found.map((l) => [l.kind, l.bucket, l.prefix, l.label])).toEqual([
      ['bucket', 'a', '', 'a'],
      ['bucket', 'b', '', 'b'],
    ]);
  });

  it("else at the user's home, named after the bucket when there are several", async () => {
    expect(
      (await deriveLocations(probe(['a'], { [`a/${ID}/`]: 'ok' }))).map((l) => [l.kind, l.label]),
    ).toEqual([['home', 'My files']]);
    const two = await deriveLocations(probe(['a', 'b'], { [`a/${ID}/`]: 'ok', 'b/': 'ok' }));
    expect(two.map((l) => [l.kind, l.prefix, l.label])).toEqual([
      ['home', `${ID}/`, 'My files (a)'],
      ['bucket', '', 'b'],
    ]);
  });

  it('offers nothing when nothing may be read — never a bucket root that was just refused', async () => {
    expect(await deriveLocations(probe(['a', 'gone'], { 'gone/': 'missing' }))).toEqual([]);
  });

  it('says what went wrong when a probe fails for another reason', async () => {
    await expect(deriveLocations(probe(['a'], { 'a/': 'broken' }))).rejects.toMatchObject({
      code: 'NETWORK',
    });
  });
});
