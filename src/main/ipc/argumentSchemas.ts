/**
 * One zod schema per contract method, for its arguments as a tuple. The mapped type makes a
 * method without a schema — or a schema that disagrees with the contract — a compile error.
 */
import { z } from 'zod';
import type { KuraApi, KuraMethod } from '../../shared/ipc';
import { COLUMN_IDS, UI_LIMITS } from '../../shared/uiSettings';

const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not a bucket name');
// Keys are hostile input: any text S3 allows (≤ 1024 bytes), checked again where used.
const key = z
  .string()
  .min(1)
  .refine((k) => Buffer.byteLength(k) <= 1024, 'key longer than 1024 bytes');
const prefix = z
  .string()
  .refine((k) => Buffer.byteLength(k) <= 1024, 'prefix longer than 1024 bytes');
const id = z.string().uuid();
// What a person types: a failure names the KuraError code the UI words (see dispatcher.ts).
const secret = z.string().min(1, 'PASSWORD_FORMAT').max(256, 'PASSWORD_FORMAT');
const email = z.string().trim().min(3, 'EMAIL_FORMAT').max(320, 'EMAIL_FORMAT');
const code = z
  .string()
  .trim()
  .regex(/^\d{6,8}$/, 'CODE_FORMAT');
const continuationToken = z.string().min(1).max(4096);
/** The renderer's name for a call it may cancel (cancelRequest). */
const requestId = z.string().regex(/^[\w-]{1,64}$/, 'not a request id');
/** An optional argument followed by another: JSON (the browser transport) carries it as null. */
const skippable = <T extends z.ZodType<string>>(t: T) =>
  t.nullish().transform((v) => v ?? undefined);
const placeRef = z.object({ bucket, prefix }).strict();
const width = (l: { min: number; max: number }) => z.number().int().min(l.min).max(l.max);
const columnId = z.enum(COLUMN_IDS);
const uiSettings = z
  .object({
    language: z.enum(['en', 'ja']).optional(),
    density: z.enum(['compact', 'comfortable']),
    sort: z.object({ column: columnId, direction: z.enum(['asc', 'desc']) }).strict(),
    sidebar: z.object({ width: width(UI_LIMITS.sidebarWidth), collapsed: z.boolean() }).strict(),
    columns: z
      .object({
        order: z
          .array(columnId)
          .length(COLUMN_IDS.length)
          .refine((o) => new Set(o).size === o.length, 'each column once'),
        widths: z
          .object({
            name: width(UI_LIMITS.columnWidth),
            size: width(UI_LIMITS.columnWidth),
            modified: width(UI_LIMITS.columnWidth),
            type: width(UI_LIMITS.columnWidth),
          })
          .strict(),
      })
      .strict(),
    drawer: z.object({ height: width(UI_LIMITS.drawerHeight) }).strict(),
    place: placeRef.optional(),
    recent: z.array(placeRef).max(UI_LIMITS.recent),
  })
  .strict();

type ArgSchemas = { [M in KuraMethod]: z.ZodType<Parameters<KuraApi[M]>> };

export const argumentSchemas = {
  profileList: z.tuple([]),
  profileImport: z.tuple([z.string().max(64 * 1024)]),
  profileActivate: z.tuple([id]),
  sessionView: z.tuple([]),
  signIn: z.tuple([email, secret]),
  completeNewPassword: z.tuple([
    secret,
    z.record(z.string().regex(/^[a-z_:]{1,64}$/), z.string().max(2048)),
  ]),
  answerMfa: z.tuple([code]),
  forgotPassword: z.tuple([email]),
  confirmForgotPassword: z.tuple([email, code, secret]),
  signOut: z.tuple([z.boolean()]),
  listBuckets: z.tuple([]),
  locations: z.tuple([]),
  listFolder: z.union([
    z.tuple([bucket, prefix]),
    z.tuple([bucket, prefix, continuationToken.optional()]),
    z.tuple([bucket, prefix, skippable(continuationToken), requestId.optional()]),
  ]),
  search: z.union([
    z.tuple([bucket, prefix, z.string().trim().min(1).max(256)]),
    z.tuple([bucket, prefix, z.string().trim().min(1).max(256), continuationToken.optional()]),
    z.tuple([
      bucket,
      prefix,
      z.string().trim().min(1).max(256),
      skippable(continuationToken),
      requestId.optional(),
    ]),
  ]),
  preview: z.union([z.tuple([bucket, key]), z.tuple([bucket, key, requestId.optional()])]),
  download: z.tuple([bucket, key]),
  downloadFolder: z.tuple([bucket, prefix]),
  downloadItems: z.tuple([
    bucket,
    z
      .array(
        z
          .object({
            key: prefix.refine((k) => k.length > 0, 'empty key'),
            kind: z.enum(['file', 'folder']),
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
    z.boolean(),
  ]),
  transfers: z.tuple([]),
  cancelTransfer: z.tuple([id]),
  pauseTransfer: z.tuple([id]),
  resumeTransfer: z.tuple([id]),
  retryTransfer: z.tuple([id]),
  prioritizeTransfer: z.tuple([id]),
  showTransfer: z.tuple([id]),
  dragTransfer: z.tuple([id]),
  receipts: z.tuple([]),
  showReceipt: z.tuple([id]),
  exportReceipts: z.tuple([z.enum(['csv', 'json'])]),
  copyS3Uri: z.tuple([bucket, prefix]),
  prepareDrag: z.tuple([bucket, key]),
  startDrag: z.tuple([z.array(id).min(1).max(100)]),
  updateStatus: z.tuple([]),
  setUpdateChecks: z.tuple([z.boolean()]),
  checkForUpdates: z.tuple([]),
  restartToUpdate: z.tuple([]),
  openTransfer: z.tuple([id]),
  clearFinishedTransfers: z.tuple([]),
  cancelChallenge: z.tuple([]),
  resendCode: z.tuple([]),
  signInOptions: z.tuple([]),
  // A button's position in the profile's list (main looks it up; no URL or name crosses).
  signInWithBrowser: z.tuple([z.string().regex(/^\d{1,2}$/)]),
  cancelBrowserSignIn: z.tuple([]),
  signOutWithBrowser: z.tuple([z.boolean()]),
  mfaSetupBegin: z.tuple([]),
  mfaSetupVerify: z.tuple([code]),
  authenticator: z.tuple([]),
  removeAuthenticator: z.tuple([]),
  networkStatus: z.tuple([]),
  // The proxy's address is checked again in main (proxyRoutes.parseProxyUrl), with its own error.
  setProxySettings: z.tuple([
    z.enum(['system', 'direct', 'manual']),
    z.string().max(2048),
    z.string().max(4096),
  ]),
  answerProxyAuth: z.tuple([z.string().min(1).max(256), z.string().min(1).max(1024)]),
  cancelProxyAuth: z.tuple([]),
  cancelRequest: z.tuple([requestId]),
  uiSettings: z.tuple([]),
  saveUiSettings: z.tuple([uiSettings]),
} satisfies ArgSchemas;
