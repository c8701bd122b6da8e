/** Who signed a request (the seeding administrator or the identity pool's role) and what it may do. */
import type { Clock } from '../clock';
import type { StateFile } from '../state';
import { evaluate, type Decision, type PolicyDocument } from './policy';
import type { SigningSecret } from './sigv4';

export type Principal =
  | { kind: 'admin'; accessKeyId: string }
  | { kind: 'role'; accessKeyId: string; identityId: string; sub: string; roleArn: string };

export class Principals {
  constructor(
    private readonly state: StateFile,
    private readonly clock: Clock,
    /** A role's permission policies (none for a role IAM does not have). */
    private readonly rolePolicies: (roleArn: string) => PolicyDocument[],
    /** The identity pool's default authenticated role. */
    readonly roleArn: string,
  ) {}

  lookup = (accessKeyId: string): SigningSecret<Principal> | undefined => {
    const ids = this.state.data.ids;
    if (accessKeyId === ids.adminAccessKeyId) {
      return {
        secretAccessKey: ids.adminSecretAccessKey,
        principal: { kind: 'admin', accessKeyId },
      };
    }
    const c = this.state.data.credentials[accessKeyId];
    if (!c) return undefined;
    return {
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiresAt: c.expiresAt,
      principal: {
        kind: 'role',
        accessKeyId,
        identityId: c.identityId,
        sub: c.sub,
        roleArn: c.roleArn ?? this.roleArn,
      },
    };
  };

  now(): number {
    return this.clock.now();
  }

  /** The administrator may do anything; the role only what its policies allow. */
  authorize(
    principal: Principal,
    action: string,
    resource: string,
    keys: Record<string, string | string[] | undefined> = {},
  ): Decision {
    if (principal.kind === 'admin') return 'Allow';
    const ids = this.state.data.ids;
    return evaluate(this.rolePolicies(principal.roleArn), {
      action,
      resource,
      keys: {
        'aws:SecureTransport': 'false',
        'aws:PrincipalArn': principal.roleArn,
        'aws:userid': `ROLEID:CognitoIdentityCredentials`,
        'cognito-identity.amazonaws.com:sub': principal.identityId,
        'cognito-identity.amazonaws.com:aud': ids.identityPoolId,
        'cognito-identity.amazonaws.com:amr': 'authenticated',
        ...keys,
      },
    });
  }

  describe(principal: Principal): string {
    if (principal.kind === 'admin')
      return `arn:aws:iam::${this.state.data.ids.accountId}:user/local-aws-admin`;
    const role = principal.roleArn.split('/').pop();
    return `arn:aws:sts::${this.state.data.ids.accountId}:assumed-role/${role}/CognitoIdentityCredentials`;
  }
}
