/**
 * `--seed demo`: a bucket with a realistic tree (nested folders, Japanese and other Unicode
 * names, spaces and `+` in keys, a folder of 2,500 objects, images, UTF-8 and Shift_JIS text,
 * a PDF, a zero-byte file, a large file), a confirmed demo user and a second user who still
 * holds a temporary password. With `--policy whole-bucket` the tree is the bucket's top level;
 * with `own-prefix` and `groups` it is the demo user's home (`<identity id>/`), and `groups` adds
 * the groups `design` and `sales` (each with its role and folder; the demo user in both, the
 * new user in `sales`). Idempotent: what exists is left as it is.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { deflateSync, crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import type { UserPool } from './cognito/userPool';
import type { AccessPolicy, RoleRegistry } from './iam/roles';
import type { ObjectStore } from './s3/objectStore';

export interface DemoUser {
  email: string;
  password: string;
  note: string;
}

export const DEMO_USERS: DemoUser[] = [
  { email: 'demo@example.com', password: 'Kura-Demo-2026!', note: 'signs in straight away' },
  {
    email: 'new.user@example.com',
    password: 'Temp-Pass-2026!',
    note: 'temporary password: must choose a new one at first sign-in',
  },
];

/** A small RGB PNG with a diagonal gradient, written with zlib (no image library needed). */
export function gradientPng(width: number, height: number, hue: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const t = (x + y) / (width + height);
      raw[row + 1 + x * 3] = Math.round(255 * Math.abs(Math.sin(hue + t * 3)));
      raw[row + 2 + x * 3] = Math.round(255 * t);
      raw[row + 3 + x * 3] = Math.round(255 * (1 - t));
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with a few lines of text and a correct cross-reference table. */
export function simplePdf(lines: string[]): Buffer {
  const text = lines
    .map((l, i) => `BT /F1 14 Tf 72 ${720 - i * 22} Td (${l.replace(/[\\()]/g, '\\$&')}) Tj ET`)
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Pseudo-random bytes, streamed, so a large object never sits in memory. */
export function randomStream(size: number, chunk = 1024 * 1024): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const n = Math.min(chunk, left);
      left -= n;
      this.push(randomBytes(n));
    },
  });
}

/** The demo's groups in the `groups` scope, with what their folders hold. */
export const DEMO_GROUPS = {
  design: [
    ['design/brand/logo.png', gradientPng(256, 256, 0.9), 'image/png'],
    ['design/brand/palette.txt', 'Kura indigo #283593\nStorehouse white #FAFAFA\n', 'text/plain'],
    ['design/デザイン指針.md', '# デザイン指針\n\n余白を大切にする。\n', 'text/markdown'],
  ],
  sales: [
    ['sales/2026/Q1 pipeline.csv', 'deal,stage\nAcme,won\nGlobex,open\n', 'text/csv'],
    ['sales/price list.txt', 'Standard plan: 1,000 yen\n', 'text/plain'],
  ],
} as const;

export async function seedDemo(
  store: ObjectStore,
  pool: UserPool,
  bucket: string,
  _dataDir: string,
  largeFileBytes: number,
  scope?: {
    policy: AccessPolicy;
    identityFor: (sub: string) => string;
    roles: RoleRegistry;
  },
): Promise<DemoUser[]> {
  const [demo, fresh] = DEMO_USERS as [DemoUser, DemoUser];
  if (!pool.findUser(demo.email)) {
    pool.createUser(demo.email, demo.password, { email_verified: 'true', name: 'Demo User' });
    pool.setUserPassword(demo.email, demo.password, true);
  }
  if (!pool.findUser(fresh.email)) {
    pool.createUser(fresh.email, fresh.password, { email_verified: 'true' });
  }
  // Where the tree goes: the top level, or the demo user's home.
  const root =
    !scope || scope.policy === 'whole-bucket'
      ? ''
      : `${scope.identityFor(pool.findUser(demo.email)!.sub)}/`;
  if (scope?.policy === 'groups') await seedGroups(store, pool, bucket, scope.roles);
  if (!store.hasBucket('kura-archive')) {
    store.createBucket('kura-archive');
    await putObject(
      store,
      'kura-archive',
      'not-for-you.txt',
      'This bucket is not in the role policy.\n',
      'text/plain',
    );
  }
  if (!store.hasBucket(bucket)) store.createBucket(bucket);
  else if (store.head(bucket, `${root}README.txt`)) return DEMO_USERS;
  const text = 'text/plain; charset=utf-8';
  const put = (
    s: ObjectStore,
    b: string,
    key: string,
    body: string | Buffer,
    contentType: string,
  ) => putObject(s, b, root + key, body, contentType);
  await put(
    store,
    bucket,
    'README.txt',
    'Welcome to the Kura demo bucket.\nEverything here is served by local-aws on your own machine.\n',
    text,
  );
  await put(
    store,
    bucket,
    'docs/報告書/2026年度 事業計画.txt',
    '2026年度 事業計画\n\n一、倉庫の整理を進める。\n二、ファイルの共有を安全にする。\n',
    text,
  );
  await put(
    store,
    bucket,
    'docs/shift_jis/請求書_2026-04.txt',
    iconv.encode('請求書\n株式会社サンプル 御中\n合計金額: ¥128,000\n', 'Shift_JIS'),
    'text/plain',
  );
  await put(
    store,
    bucket,
    'docs/manual.pdf',
    simplePdf(['Kura demo manual', 'Sign in, browse, download.', 'Drag files out of the window.']),
    'application/pdf',
  );
  await put(store, bucket, 'docs/empty.txt', '', 'text/plain');
  await put(store, bucket, 'docs/données/résumé.txt', 'Un résumé en français.\n', text);
  await put(
    store,
    bucket,
    'docs/nfd/Cafe\u0301 menu.txt',
    'This name is in NFD (e + combining accent).\n',
    text,
  );
  await put(
    store,
    bucket,
    'photos/summer trip/beach + sunset.png',
    gradientPng(640, 400, 0.3),
    'image/png',
  );
  await put(store, bucket, 'photos/写真/東京タワー.png', gradientPng(400, 640, 1.7), 'image/png');
  await put(store, bucket, 'photos/thumbnail.png', gradientPng(64, 64, 2.9), 'image/png');
  await put(store, bucket, 'reports/Q1+Q2 summary.txt', 'Revenue up, costs down.\n', text);
  await put(
    store,
    bucket,
    'reports/2026/03/monthly report.csv',
    'month,revenue\n2026-01,100\n2026-02,120\n2026-03,150\n',
    'text/csv',
  );
  await put(
    store,
    bucket,
    'projects/alpha/specs/v1/design.md',
    '# Alpha design\n\nNested four folders deep.\n',
    'text/markdown',
  );
  await put(
    store,
    bucket,
    'projects/alpha/specs/v2/design.md',
    '# Alpha design v2\n',
    'text/markdown',
  );
  await put(store, bucket, 'projects/beta/notes 🎉.txt', 'Emoji in a name.\n', text);
  for (let i = 1; i <= 2500; i++) {
    const n = String(i).padStart(4, '0');
    await put(
      store,
      bucket,
      `logs/2026/app-${n}.log`,
      `2026-01-01T00:00:00Z line ${n}\n`.repeat(1 + (i % 7)),
      'text/plain',
    );
  }
  if (largeFileBytes > 0) {
    await store.put(bucket, `${root}videos/large-file.bin`, randomStream(largeFileBytes), {
      contentType: 'application/octet-stream',
    });
  }
  return DEMO_USERS;
}

/** The groups design and sales, each with its role and a few files; the demo users in them. */
async function seedGroups(store: ObjectStore, pool: UserPool, bucket: string, roles: RoleRegistry) {
  const [demo, fresh] = DEMO_USERS as [DemoUser, DemoUser];
  if (!store.hasBucket(bucket)) store.createBucket(bucket);
  for (const [group, files] of Object.entries(DEMO_GROUPS)) {
    const roleArn = roles.addGroupRole(group);
    if (!pool.groups.list().some((g) => g.name === group)) pool.groups.create(group, { roleArn });
    for (const [key, body, type] of files)
      if (!store.head(bucket, key)) await putObject(store, bucket, key, body, type);
  }
  pool.groups.addUser(demo.email, 'design');
  pool.groups.addUser(demo.email, 'sales');
  pool.groups.addUser(fresh.email, 'sales');
}

async function putObject(
  store: ObjectStore,
  bucket: string,
  key: string,
  body: string | Buffer,
  contentType: string,
) {
  await store.put(bucket, key, Readable.from([Buffer.from(body)]), { contentType });
}
