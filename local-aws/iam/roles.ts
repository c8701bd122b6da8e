/**
 * The IAM roles local-aws knows, each with its trust policy and permissions — read from the files
 * in infra/policies, the same ones infra/template.yaml deploys:
 *
 * - `whole-bucket`: one role reading the whole bucket;
 * - `own-prefix`: one role reading each user's `<identity id>/`;
 * - `groups`: the default role reads the user's own prefix, and `KuraGroupRole-<group>` (one per
 *   group, as the template's loop creates them) reads `<group>/` and the user's own prefix.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiatePolicy, type PolicyDocument } from './policy';

export const POLICY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../infra/policies');
export const POLICY_FILES = {
  'whole-bucket': 'read-whole-bucket.json',
  'own-prefix': 'read-own-prefix.json',
  groups: 'read-own-prefix.json',
} as const;
export const GROUP_POLICY_FILE = 'read-group-prefix.json';
export const TRUST_POLICY_FILE = 'trust-authenticated.json';

export type AccessPolicy = keyof typeof POLICY_FILES;

/** What a group role's name may hold (IAM role names are [\w+=,.@-], at most 64 characters). */
const GROUP_ROLE = /^KuraGroupRole-([A-Za-z0-9_.@-]{1,50})$/;

const readPolicy = (file: string, params: Record<string, string>) =>
  instantiatePolicy(JSON.parse(readFileSync(join(POLICY_DIR, file), 'utf8')), params);

export class RoleRegistry {
  readonly defaultRoleArn: string;
  readonly trustPolicy: PolicyDocument;
  private readonly defaultPolicy: PolicyDocument;
  private readonly groupPolicies = new Map<string, PolicyDocument>();

  constructor(
    private readonly accountId: string,
    readonly policy: AccessPolicy,
    private readonly params: { BucketName: string; IdentityPoolId: string },
  ) {
    this.defaultRoleArn = `arn:aws:iam::${accountId}:role/KuraAuthenticatedRole`;
    this.trustPolicy = readPolicy(TRUST_POLICY_FILE, params);
    this.defaultPolicy = readPolicy(POLICY_FILES[policy], params);
  }

  /** The role of a group in the `groups` scope. */
  groupRoleArn(group: string): string {
    return `arn:aws:iam::${this.accountId}:role/KuraGroupRole-${group}`;
  }

  /** The group whose role this is, when it is one this registry has. */
  groupOf(roleArn: string): string | undefined {
    if (this.policy !== 'groups') return undefined;
    const prefix = `arn:aws:iam::${this.accountId}:role/`;
    if (!roleArn.startsWith(prefix)) return undefined;
    return GROUP_ROLE.exec(roleArn.slice(prefix.length))?.[1];
  }

  exists(roleArn: string): boolean {
    return roleArn === this.defaultRoleArn || this.groupOf(roleArn) !== undefined;
  }

  /** The role's permission policies; none for a role IAM does not have. */
  policiesFor(roleArn: string | undefined): PolicyDocument[] {
    if (roleArn === undefined || roleArn === this.defaultRoleArn) return [this.defaultPolicy];
    const group = this.groupOf(roleArn);
    if (group === undefined) return [];
    let doc = this.groupPolicies.get(group);
    if (!doc) {
      doc = readPolicy(GROUP_POLICY_FILE, { ...this.params, GroupName: group });
      this.groupPolicies.set(group, doc);
    }
    return [doc];
  }
}
