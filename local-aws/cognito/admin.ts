/**
 * The administrator operations (IAM-signed; the server checked the signature): users created,
 * disabled, deleted, reset and signed out, their MFA preference, the listing, the pool and its
 * app client described, and the group operations (groups.ts) — a table by operation name, each
 * over the shared user store.
 */
import type { UserRecord } from '../state';
import { invalidParameter } from './errors';
import { GROUP_OPERATIONS } from './groups';
import { generatePassword, str, type Json, type UserStore } from './users';

type AdminOperation = (pool: UserStore, body: Json) => unknown;

function adminCreateUser(pool: UserStore, body: Json) {
  const username = str(body, 'Username');
  const attrs: Record<string, string> = {};
  for (const a of (body.UserAttributes as { Name: string; Value: string }[] | undefined) ?? []) {
    if (typeof a?.Name === 'string' && typeof a.Value === 'string') attrs[a.Name] = a.Value;
  }
  if (body.MessageAction === 'RESEND') {
    const user = pool.requireUser(username);
    return { User: pool.userView(user, 'Attributes') };
  }
  const temporary = str(body, 'TemporaryPassword', false) || generatePassword();
  const user = pool.createUser(username, temporary, attrs);
  if (body.MessageAction !== 'SUPPRESS') {
    pool.sendMessage(user, 'INVITATION', temporary, user.attributes.email ?? username);
  }
  return { User: pool.userView(user, 'Attributes') };
}

/** AdminEnableUser (true) and AdminDisableUser (false). */
const setEnabled =
  (enabled: boolean): AdminOperation =>
  (pool, body) => {
    const now = pool.clock.now();
    const user = pool.requireUser(str(body, 'Username'));
    user.enabled = enabled;
    user.modifiedAt = now;
    pool.state.save(now);
    return {};
  };

function adminDeleteUser(pool: UserStore, body: Json) {
  const now = pool.clock.now();
  const user = pool.requireUser(str(body, 'Username'));
  delete pool.state.data.users[user.sub];
  for (const [h, r] of Object.entries(pool.state.data.refreshTokens)) {
    if (r.sub === user.sub) delete pool.state.data.refreshTokens[h];
  }
  pool.state.save(now);
  return {};
}

function adminResetUserPassword(pool: UserStore, body: Json) {
  const user = pool.requireUser(str(body, 'Username'));
  user.status = 'RESET_REQUIRED';
  pool.issueResetCode(user);
  return {};
}

function listUsers(pool: UserStore, body: Json) {
  const filter = typeof body.Filter === 'string' ? body.Filter : '';
  const limit = Math.min(typeof body.Limit === 'number' ? body.Limit : 60, 60);
  const start =
    typeof body.PaginationToken === 'string'
      ? Number(Buffer.from(body.PaginationToken, 'base64').toString())
      : 0;
  let users = Object.values(pool.state.data.users).sort(
    (a, b) => a.createdAt - b.createdAt || a.sub.localeCompare(b.sub),
  );
  if (filter) {
    const m = /^\s*([\w:]+)\s*(=|\^=)\s*"([^"]*)"\s*$/.exec(filter);
    if (!m) throw invalidParameter('Invalid search filter');
    const [, attr, op, value] = m as unknown as [string, string, string, string];
    const pick = (u: UserRecord) =>
      attr === 'username'
        ? u.sub
        : attr === 'status'
          ? u.enabled
            ? 'Enabled'
            : 'Disabled'
          : attr === 'cognito:user_status'
            ? u.status
            : (u.attributes[attr] ?? '');
    users = users.filter((u) => (op === '=' ? pick(u) === value : pick(u).startsWith(value)));
  }
  const page = users.slice(start, start + limit);
  const next =
    start + limit < users.length
      ? Buffer.from(String(start + limit)).toString('base64')
      : undefined;
  return {
    Users: page.map((u) => pool.userView(u, 'Attributes')),
    ...(next ? { PaginationToken: next } : {}),
  };
}

function describeUserPool(pool: UserStore) {
  return {
    UserPool: {
      Id: pool.ids.userPoolId,
      Name: pool.poolName,
      Arn: pool.poolArn,
      UsernameAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          ...pool.settings.passwordPolicy,
          MinimumLength: pool.settings.passwordPolicy.minimumLength,
        },
      },
      MfaConfiguration: pool.settings.mfa ?? 'OPTIONAL',
      ...(pool.settings.oauth ? { Domain: new URL(pool.settings.oauth.domain).host } : {}),
      EstimatedNumberOfUsers: Object.keys(pool.state.data.users).length,
    },
  };
}

function describeUserPoolClient(pool: UserStore) {
  const { settings } = pool;
  return {
    UserPoolClient: {
      UserPoolId: pool.ids.userPoolId,
      ClientId: pool.ids.clientId,
      ClientName: 'kura-desktop',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: settings.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
      RefreshTokenRotation: {
        Feature: settings.refreshTokenRotation ? 'ENABLED' : 'DISABLED',
        RetryGracePeriodSeconds: settings.rotationGracePeriodSeconds,
      },
      ...(settings.oauth
        ? {
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: ['code'],
            AllowedOAuthScopes: settings.oauth.scopes,
            CallbackURLs: settings.oauth.callbackUrls,
            LogoutURLs: settings.oauth.logoutUrls,
            SupportedIdentityProviders: settings.oauth.identityProviders,
          }
        : {}),
    },
  };
}

/** The operations that need IAM (SigV4) credentials, by name. */
export const ADMIN_OPERATIONS: Record<string, AdminOperation> = {
  AdminCreateUser: adminCreateUser,
  AdminSetUserPassword: (pool, body) => {
    pool.setUserPassword(str(body, 'Username'), str(body, 'Password'), body.Permanent === true);
    return {};
  },
  AdminDisableUser: setEnabled(false),
  AdminEnableUser: setEnabled(true),
  AdminDeleteUser: adminDeleteUser,
  AdminGetUser: (pool, body) =>
    pool.userView(pool.requireUser(str(body, 'Username')), 'UserAttributes'),
  AdminResetUserPassword: adminResetUserPassword,
  AdminUserGlobalSignOut: (pool, body) => {
    pool.globalSignOut(pool.requireUser(str(body, 'Username')));
    return {};
  },
  AdminSetUserMFAPreference: (pool, body) =>
    pool.setMfaPreference(pool.requireUser(str(body, 'Username')), body),
  ListUsers: listUsers,
  DescribeUserPool: describeUserPool,
  DescribeUserPoolClient: describeUserPoolClient,
  ...Object.fromEntries(
    [...GROUP_OPERATIONS].map((op): [string, AdminOperation] => [
      op,
      (pool, body) => pool.groups.handle(op, body),
    ]),
  ),
};
