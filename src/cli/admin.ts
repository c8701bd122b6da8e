/**
 * `kura admin …`: what an administrator needs, with their own AWS credentials (the SDK's usual
 * chain: environment, ~/.aws, SSO …): create users (temporary password or email invitation),
 * list, disable/enable, reset a password, sign a user out everywhere, manage groups and their
 * members, and write the connection profile — locations included — from the CloudFormation
 * stack's outputs. Works against local-aws as well (the profile's endpoints are used).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  ListGroupsCommand,
  ListUsersCommand,
  type GroupType,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { KuraError } from '../main/services/kuraError';
import { parseProfile } from '../main/services/profile';
import { scopeLocations, type AccessScope, type ConnectionProfile } from '../shared/profile';
import type { ErrorCode } from '../shared/errors';

export interface StackOutput {
  OutputKey?: string;
  OutputValue?: string;
}

/**
 * A stack that does not make a connection profile: PROFILE_INVALID with one problem about
 * `field` (worded in each language, see PROFILE_PROBLEMS in shared/errors.ts), `detail` in
 * English for logs.
 */
const stackProblem = (problem: string, field: string, detail: string) =>
  new KuraError('PROFILE_INVALID', detail, { problems: [{ field, problem }] });

/** Output keys of the template's group loop: `Group<name without non-alphanumerics>`. */
const GROUP_OUTPUT = /^Group[A-Za-z0-9]+$/;

/**
 * The locations a stack offers: from its AccessScope output and, for Groups, one output per
 * group whose value is `<group> <role ARN>` (older stacks without AccessScope: the whole bucket).
 */
function stackLocations(outputs: StackOutput[], bucket: string) {
  const scope = (outputs.find((o) => o.OutputKey === 'AccessScope')?.OutputValue ??
    'WholeBucket') as AccessScope;
  if (!['WholeBucket', 'OwnPrefix', 'Groups'].includes(scope))
    throw stackProblem(
      'stackScope',
      scope,
      `the stack's AccessScope ${scope} is not one Kura knows`,
    );
  const groups = outputs
    .filter((o) => GROUP_OUTPUT.test(o.OutputKey ?? ''))
    .map((o) => {
      const [name, roleArn, ...rest] = (o.OutputValue ?? '').split(' ');
      if (!name || !roleArn || rest.length > 0)
        throw stackProblem(
          'stackGroupOutput',
          o.OutputKey ?? '',
          `the stack's output ${o.OutputKey} is not "<group> <role ARN>"`,
        );
      return { name, roleArn };
    });
  return scopeLocations(scope, bucket, groups);
}

/** The connection profile a stack of infra/template.yaml describes. */
export function profileFromStackOutputs(outputs: StackOutput[], name: string): ConnectionProfile {
  const get = (key: string) => {
    const v = outputs.find((o) => o.OutputKey === key)?.OutputValue;
    if (!v)
      throw stackProblem(
        'stackOutputMissing',
        key,
        `the stack has no ${key} output (is it a Kura stack?)`,
      );
    return v;
  };
  return parseProfile(
    JSON.stringify({
      version: 1,
      name,
      region: get('Region'),
      userPoolId: get('UserPoolId'),
      userPoolClientId: get('UserPoolClientId'),
      identityPoolId: get('IdentityPoolId'),
      buckets: [get('BucketName')],
      locations: stackLocations(outputs, get('BucketName')),
      // Stacks from before the in-app updates have no such output.
      updates: outputs.find((o) => o.OutputKey === 'UpdatesFolder')?.OutputValue,
    }),
  );
}

export interface CloudFormationLike {
  send(
    command: DescribeStacksCommand,
  ): Promise<{ Stacks?: { Outputs?: StackOutput[]; StackStatus?: string }[] }>;
}

export async function profileFromStack(
  cfn: CloudFormationLike,
  stackName: string,
  name?: string,
): Promise<ConnectionProfile> {
  const r = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = r.Stacks?.[0];
  if (!stack) throw stackProblem('stackNotFound', stackName, `stack ${stackName} not found`);
  if (
    !/_COMPLETE$/.test(stack.StackStatus ?? '') ||
    /ROLLBACK|DELETE/.test(stack.StackStatus ?? '')
  ) {
    throw stackProblem(
      'stackNotDeployed',
      `${stackName} (${stack.StackStatus})`,
      `stack ${stackName} is ${stack.StackStatus}, not deployed`,
    );
  }
  const appName = stack.Outputs?.find((o) => o.OutputKey === 'AppName')?.OutputValue ?? 'Kura';
  return profileFromStackOutputs(stack.Outputs ?? [], name ?? `${appName} (${stackName})`);
}

export function cloudFormationClient(region?: string): CloudFormationClient {
  return new CloudFormationClient(region ? { region } : {});
}

export class UserAdmin {
  private readonly client: CognitoIdentityProviderClient;

  constructor(private readonly profile: ConnectionProfile) {
    this.client = new CognitoIdentityProviderClient({
      region: profile.region,
      endpoint: profile.endpoints?.cognitoIdp,
    });
  }

  private get pool() {
    return this.profile.userPoolId;
  }

  /** Runs a call; the refusals in `known` (by exception name) become their message, the rest UNKNOWN. */
  private async call<T>(
    op: () => Promise<T>,
    known: Partial<Record<string, [ErrorCode, string]>> = {},
  ): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const e = err as Error;
      const [code, detail] = known[e.name] ?? ['UNKNOWN', `${e.name}: ${e.message}`];
      throw new KuraError(code, detail, { cause: err });
    }
  }

  private noUser(email: string): Partial<Record<string, [ErrorCode, string]>> {
    return { UserNotFoundException: ['USER_NOT_FOUND', email] };
  }

  /** Registers a user: an emailed invitation with a generated temporary password, or the one given. */
  async createUser(email: string, o: { temporaryPassword?: string; invite: boolean }) {
    const r = await this.call(() =>
      this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.pool,
          Username: email,
          TemporaryPassword: o.temporaryPassword,
          MessageAction: o.invite ? undefined : 'SUPPRESS',
          DesiredDeliveryMediums: o.invite ? ['EMAIL'] : undefined,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      ),
    );
    return summary(r.User!);
  }

  async listUsers(): Promise<ReturnType<typeof summary>[]> {
    const users: ReturnType<typeof summary>[] = [];
    let token: string | undefined;
    do {
      const r = await this.call(() =>
        this.client.send(new ListUsersCommand({ UserPoolId: this.pool, PaginationToken: token })),
      );
      users.push(...(r.Users ?? []).map(summary));
      token = r.PaginationToken;
    } while (token);
    return users;
  }

  async setEnabled(email: string, enabled: boolean) {
    const Command = enabled ? AdminEnableUserCommand : AdminDisableUserCommand;
    await this.call(
      () => this.client.send(new Command({ UserPoolId: this.pool, Username: email })),
      this.noUser(email),
    );
  }

  /** With a temporary password: the user must choose a new one at next sign-in; without: a code is emailed. */
  async resetPassword(email: string, temporaryPassword?: string) {
    if (temporaryPassword) {
      await this.call(
        () =>
          this.client.send(
            new AdminSetUserPasswordCommand({
              UserPoolId: this.pool,
              Username: email,
              Password: temporaryPassword,
              Permanent: false,
            }),
          ),
        this.noUser(email),
      );
    } else {
      await this.call(
        () =>
          this.client.send(
            new AdminResetUserPasswordCommand({ UserPoolId: this.pool, Username: email }),
          ),
        this.noUser(email),
      );
    }
  }

  /** A group; with a role, its members get that role's credentials (role mapping of type Token). */
  async createGroup(
    name: string,
    o: { roleArn?: string; precedence?: number; description?: string },
  ) {
    await this.call(
      () =>
        this.client.send(
          new CreateGroupCommand({
            UserPoolId: this.pool,
            GroupName: name,
            RoleArn: o.roleArn,
            Precedence: o.precedence,
            Description: o.description,
          }),
        ),
      { GroupExistsException: ['GROUP_EXISTS', name] },
    );
  }

  async listGroups() {
    const groups: { name: string; roleArn?: string; precedence?: number }[] = [];
    let token: string | undefined;
    do {
      const r = await this.call(() =>
        this.client.send(new ListGroupsCommand({ UserPoolId: this.pool, NextToken: token })),
      );
      groups.push(...(r.Groups ?? []).map(groupSummary));
      token = r.NextToken;
    } while (token);
    return groups;
  }

  async setMembership(email: string, group: string, member: boolean) {
    const Command = member ? AdminAddUserToGroupCommand : AdminRemoveUserFromGroupCommand;
    // Cognito answers an unknown group with ResourceNotFoundException ("Group not found.").
    await this.call(
      () =>
        this.client.send(new Command({ UserPoolId: this.pool, Username: email, GroupName: group })),
      { ...this.noUser(email), ResourceNotFoundException: ['GROUP_NOT_FOUND', group] },
    );
  }

  async signOutEverywhere(email: string) {
    await this.call(
      () =>
        this.client.send(
          new AdminUserGlobalSignOutCommand({ UserPoolId: this.pool, Username: email }),
        ),
      this.noUser(email),
    );
  }
}

function groupSummary(g: GroupType) {
  return {
    name: g.GroupName ?? '',
    ...(g.RoleArn ? { roleArn: g.RoleArn } : {}),
    ...(g.Precedence !== undefined ? { precedence: g.Precedence } : {}),
  };
}

function summary(u: UserType) {
  const attr = (n: string) => u.Attributes?.find((a) => a.Name === n)?.Value;
  return {
    email: attr('email') ?? u.Username ?? '',
    status: u.UserStatus ?? '',
    enabled: u.Enabled ?? false,
    created: u.UserCreateDate?.toISOString() ?? '',
  };
}
