/**
 * User pool groups, as Cognito has them: a group may carry an IAM role and a precedence; a
 * member's ID token then says `cognito:groups` (every group), `cognito:roles` (their roles) and
 * `cognito:preferred_role` (the role of the group with the lowest precedence — absent when groups
 * tied for it carry different roles; a lone role is always preferred). The access token carries
 * `cognito:groups` too. The administrator operations are IAM-signed like the others.
 */
import type { Clock } from '../clock';
import type { GroupRecord, StateFile, UserRecord } from '../state';
import { AwsJsonError, invalidParameter, resourceNotFound } from './errors';

type Json = Record<string, unknown>;

const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const MAX_PRECEDENCE = 2 ** 31 - 1;

export const GROUP_OPERATIONS = new Set([
  'CreateGroup',
  'GetGroup',
  'UpdateGroup',
  'DeleteGroup',
  'ListGroups',
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'AdminListGroupsForUser',
  'ListUsersInGroup',
]);

/** Groups first by precedence (absent last), then by name: the order tokens list them in. */
export function byPrecedence(a: GroupRecord, b: GroupRecord): number {
  const pa = a.precedence ?? Infinity;
  const pb = b.precedence ?? Infinity;
  return pa === pb ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : pa - pb;
}

/** The three group claims of a member's tokens (none for a user in no group). */
export function groupClaims(groups: GroupRecord[]): Json {
  if (groups.length === 0) return {};
  const sorted = [...groups].sort(byPrecedence);
  const claims: Json = { 'cognito:groups': sorted.map((g) => g.name) };
  const withRoles = sorted.filter((g) => g.roleArn);
  const roles = [...new Set(withRoles.map((g) => g.roleArn!))];
  if (roles.length === 0) return claims;
  claims['cognito:roles'] = roles;
  const best = withRoles[0]!.precedence ?? Infinity;
  const tied = new Set(
    withRoles.filter((g) => (g.precedence ?? Infinity) === best).map((g) => g.roleArn!),
  );
  if (roles.length === 1 || tied.size === 1) claims['cognito:preferred_role'] = [...tied][0];
  return claims;
}

export class UserPoolGroups {
  constructor(
    private readonly state: StateFile,
    private readonly clock: Clock,
    private readonly poolId: () => string,
    private readonly requireUser: (username: string) => UserRecord,
    private readonly userView: (user: UserRecord) => unknown,
  ) {}

  /** Told after every change (local-aws rewrites its profile.json). */
  onChange: () => void = () => undefined;

  private get all(): Record<string, GroupRecord> {
    return (this.state.data.groups ??= {});
  }

  /** The groups a user belongs to (those that still exist). */
  of(user: UserRecord): GroupRecord[] {
    return (user.groups ?? []).map((n) => this.all[n]).filter((g): g is GroupRecord => !!g);
  }

  list(): GroupRecord[] {
    return Object.values(this.all).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  get(name: string): GroupRecord {
    const g = Object.hasOwn(this.all, name) ? this.all[name] : undefined;
    if (!g) throw resourceNotFound('Group not found.');
    return g;
  }

  create(name: string, o: { roleArn?: string; precedence?: number; description?: string } = {}) {
    if (!GROUP_NAME.test(name))
      throw invalidParameter(
        "1 validation error detected: Value at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
      );
    if (Object.hasOwn(this.all, name))
      throw new AwsJsonError('GroupExistsException', 'A group with the name already exists.');
    const now = this.clock.now();
    const g: GroupRecord = { name, createdAt: now, modifiedAt: now };
    this.apply(g, o);
    this.all[name] = g;
    this.save();
    return g;
  }

  private apply(
    g: GroupRecord,
    o: { roleArn?: unknown; precedence?: unknown; description?: unknown },
  ) {
    if (o.roleArn !== undefined) {
      if (typeof o.roleArn !== 'string' || !ROLE_ARN.test(o.roleArn))
        throw invalidParameter(
          "1 validation error detected: Value at 'roleArn' failed to satisfy constraint: Member must be a role ARN",
        );
      g.roleArn = o.roleArn;
    }
    if (o.precedence !== undefined) {
      if (
        typeof o.precedence !== 'number' ||
        !Number.isInteger(o.precedence) ||
        o.precedence < 0 ||
        o.precedence > MAX_PRECEDENCE
      )
        throw invalidParameter(
          "1 validation error detected: Value at 'precedence' failed to satisfy constraint: Member must have value between 0 and 2147483647",
        );
      g.precedence = o.precedence;
    }
    if (o.description !== undefined) {
      if (typeof o.description !== 'string' || o.description.length > 2048)
        throw invalidParameter('Description must be at most 2048 characters');
      g.description = o.description;
    }
  }

  addUser(username: string, group: string): void {
    const user = this.requireUser(username);
    this.get(group);
    if (!(user.groups ?? []).includes(group)) user.groups = [...(user.groups ?? []), group];
    user.modifiedAt = this.clock.now();
    this.save();
  }

  removeUser(username: string, group: string): void {
    const user = this.requireUser(username);
    this.get(group);
    user.groups = (user.groups ?? []).filter((n) => n !== group);
    user.modifiedAt = this.clock.now();
    this.save();
  }

  private save() {
    this.state.save(this.clock.now());
    this.onChange();
  }

  private view(g: GroupRecord) {
    return {
      GroupName: g.name,
      UserPoolId: this.poolId(),
      ...(g.description !== undefined ? { Description: g.description } : {}),
      ...(g.roleArn ? { RoleArn: g.roleArn } : {}),
      ...(g.precedence !== undefined ? { Precedence: g.precedence } : {}),
      CreationDate: g.createdAt / 1000,
      LastModifiedDate: g.modifiedAt / 1000,
    };
  }

  private page<T>(items: T[], body: Json, max = 60) {
    const limit = Math.min(
      typeof body.Limit === 'number' && body.Limit > 0 ? body.Limit : max,
      max,
    );
    const start =
      typeof body.NextToken === 'string'
        ? Number(Buffer.from(body.NextToken, 'base64').toString()) || 0
        : 0;
    const next =
      start + limit < items.length
        ? Buffer.from(String(start + limit)).toString('base64')
        : undefined;
    return { items: items.slice(start, start + limit), next };
  }

  /** The IAM-signed group operations (the caller checked the signature and the pool id). */
  handle(op: string, body: Json): unknown {
    const required = (field: 'GroupName' | 'Username') => {
      const v = body[field];
      if (typeof v !== 'string' || !v)
        throw invalidParameter(
          `1 validation error detected: Value at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
        );
      return v;
    };
    const name = () => required('GroupName');
    const username = () => required('Username');
    switch (op) {
      case 'CreateGroup':
        return {
          Group: this.view(
            this.create(name(), {
              roleArn: body.RoleArn as string | undefined,
              precedence: body.Precedence as number | undefined,
              description: body.Description as string | undefined,
            }),
          ),
        };
      case 'GetGroup':
        return { Group: this.view(this.get(name())) };
      case 'UpdateGroup': {
        const g = this.get(name());
        this.apply(g, {
          roleArn: body.RoleArn,
          precedence: body.Precedence,
          description: body.Description,
        });
        g.modifiedAt = this.clock.now();
        this.save();
        return { Group: this.view(g) };
      }
      case 'DeleteGroup': {
        const g = this.get(name());
        delete this.all[g.name];
        for (const u of Object.values(this.state.data.users))
          if (u.groups?.includes(g.name)) u.groups = u.groups.filter((n) => n !== g.name);
        this.save();
        return {};
      }
      case 'ListGroups': {
        const { items, next } = this.page(this.list(), body);
        return { Groups: items.map((g) => this.view(g)), ...(next ? { NextToken: next } : {}) };
      }
      case 'AdminAddUserToGroup':
        this.addUser(username(), name());
        return {};
      case 'AdminRemoveUserFromGroup':
        this.removeUser(username(), name());
        return {};
      case 'AdminListGroupsForUser': {
        const user = this.requireUser(username());
        const { items, next } = this.page(this.of(user).sort(byPrecedence), body);
        return { Groups: items.map((g) => this.view(g)), ...(next ? { NextToken: next } : {}) };
      }
      case 'ListUsersInGroup': {
        const g = this.get(name());
        const members = Object.values(this.state.data.users)
          .filter((u) => u.groups?.includes(g.name))
          .sort((a, b) => a.createdAt - b.createdAt || a.sub.localeCompare(b.sub));
        const { items, next } = this.page(members, body);
        return { Users: items.map((u) => this.userView(u)), ...(next ? { NextToken: next } : {}) };
      }
      default:
        throw new AwsJsonError('UnknownOperationException', `Unknown operation ${op}`);
    }
  }
}
