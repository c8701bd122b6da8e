/**
 * The IAM roles local-aws knows, each with its trust policy and permissions — read from the files
 * in infra/policies, the same ones infra/template.yaml deploys:
 *
 * - `whole-bucket`: one role reading the whole bucket;
 * - `own-prefix`: one role reading each user's `<identity id>/`;
 * - `groups`: the default role reads the user's own prefix, and `KuraGroupRole-<group>` (one per
 *   group, as the template's loop creates them) reads `<group>/` and the user's own prefix.
 *
 * A group's role exists only once registered — what deploying the template with the group in
 * `GroupNames` does on AWS (local-aws: `--groups`, the demo seed, `POST /_local-aws/group-roles`).
 * A role ARN that merely looks like one is a role IAM does not have. Group names follow the
 * template's pattern.
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

/** A group name the template accepts in `GroupNames` (each is also its folder's name). */
export const GROUP_NAME = /^[a-z0-9-]{1,32}$/;
export const GROUP_NAME_RULE = '1-32 lowercase letters, digits and hyphens, as the template allows';
const GROUP_ROLE = /^KuraGroupRole-([a-z0-9-]{1,32})$/;

const readPolicy = (file: string, params: Record<string, string>) =>
  instantiatePolicy(JSON.parse(readFileSync(join(POLICY_DIR, file), 'utf8')), params);

export class RoleRegistry {
  readonly defaultRoleArn: string;
  readonly trustPolicy: PolicyDocument;
  private readonly defaultPolicy: PolicyDocument;
  private readonly groupPolicies = new Map<string, PolicyDocument>();
  private readonly groups: Set<string>;
  /** Told the registered groups after each registration (local-aws keeps them in its state). */
  onChange: (groups: string[]) => void = () => undefined;

  constructor(
    private readonly accountId: string,
    readonly policy: AccessPolicy,
    private readonly params: { BucketName: string; IdentityPoolId: string },
    /** The groups whose roles were registered before (from the saved state). */
    registered: string[] = [],
  ) {
    this.defaultRoleArn = `arn:aws:iam::${accountId}:role/KuraAuthenticatedRole`;
    this.trustPolicy = readPolicy(TRUST_POLICY_FILE, params);
    this.defaultPolicy = readPolicy(POLICY_FILES[policy], params);
    this.groups = new Set(policy === 'groups' ? registered.filter((g) => GROUP_NAME.test(g)) : []);
  }

  /** Creates the role of a group (as deploying the template with it in GroupNames does). */
  addGroupRole(group: string): string {
    if (this.policy !== 'groups') throw new Error('group roles need the groups policy');
    if (!GROUP_NAME.test(group))
      throw new Error(`"${group}" is not a group name (${GROUP_NAME_RULE})`);
    if (!this.groups.has(group)) {
      this.groups.add(group);
      this.onChange([...this.groups]);
    }
    return this.groupRoleArn(group);
  }

  /** The role of a group in the `groups` scope. */
  groupRoleArn(group: string): string {
    return `arn:aws:iam::${this.accountId}:role/KuraGroupRole-${group}`;
  }

  /** The group whose role this is, when it is a role this registry has. */
  groupOf(roleArn: string): string | undefined {
    const prefix = `arn:aws:iam::${this.accountId}:role/`;
    if (!roleArn.startsWith(prefix)) return undefined;
    const group = GROUP_ROLE.exec(roleArn.slice(prefix.length))?.[1];
    return group !== undefined && this.groups.has(group) ? group : undefined;
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
