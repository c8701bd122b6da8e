/**
 * `kura admin …`: what an administrator needs, with their own AWS credentials (the SDK's usual
 * chain: environment, ~/.aws, SSO …): create users (temporary password or email invitation),
 * list, disable/enable, reset a password, sign a user out everywhere, and write the connection
 * profile from the CloudFormation stack's outputs. Works against local-aws as well (the
 * profile's endpoints are used).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { KuraError } from '../main/services/kuraError';
import { parseProfile } from '../main/services/profile';
import type { ConnectionProfile } from '../shared/profile';

export interface StackOutput {
  OutputKey?: string;
  OutputValue?: string;
}

/** The connection profile a stack of infra/template.yaml describes. */
export function profileFromStackOutputs(outputs: StackOutput[], name: string): ConnectionProfile {
  const get = (key: string) => {
    const v = outputs.find((o) => o.OutputKey === key)?.OutputValue;
    if (!v)
      throw new KuraError(
        'PROFILE_INVALID',
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
  if (!stack) throw new KuraError('PROFILE_INVALID', `stack ${stackName} not found`);
  if (
    !/_COMPLETE$/.test(stack.StackStatus ?? '') ||
    /ROLLBACK|DELETE/.test(stack.StackStatus ?? '')
  ) {
    throw new KuraError(
      'PROFILE_INVALID',
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

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const e = err as Error;
      throw new KuraError('UNKNOWN', `${e.name}: ${e.message}`, { cause: err });
    }
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
    await this.call(() =>
      this.client.send(new Command({ UserPoolId: this.pool, Username: email })),
    );
  }

  /** With a temporary password: the user must choose a new one at next sign-in; without: a code is emailed. */
  async resetPassword(email: string, temporaryPassword?: string) {
    if (temporaryPassword) {
      await this.call(() =>
        this.client.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: this.pool,
            Username: email,
            Password: temporaryPassword,
            Permanent: false,
          }),
        ),
      );
    } else {
      await this.call(() =>
        this.client.send(
          new AdminResetUserPasswordCommand({ UserPoolId: this.pool, Username: email }),
        ),
      );
    }
  }

  async signOutEverywhere(email: string) {
    await this.call(() =>
      this.client.send(
        new AdminUserGlobalSignOutCommand({ UserPoolId: this.pool, Username: email }),
      ),
    );
  }
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
