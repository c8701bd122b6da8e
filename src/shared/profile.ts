/**
 * A connection profile: everything Kura needs to reach one deployment. An administrator
 * hands it to users; `infra/` produces one for AWS, local-aws writes one for itself.
 * Plain data only — validation lives in main.
 */
export interface ConnectionProfile {
  version: 1;
  /** A name people recognise ("Acme design files"). */
  name: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  identityPoolId: string;
  /** Buckets to offer when the role may not call ListBuckets. */
  buckets?: string[];
  /** Endpoint overrides, for local-aws or private endpoints. */
  endpoints?: {
    cognitoIdp?: string;
    cognitoIdentity?: string;
    s3?: string;
  };
  /** Path-style S3 addressing (needed for loopback endpoints). */
  s3ForcePathStyle?: boolean;
  /**
   * The places users open, in the order the sidebar shows them. Absent: Kura derives them (the
   * buckets the user may list, else `buckets`; a bucket whose top level is refused but whose
   * `<identity id>/` is not gives the user's home).
   */
  locations?: ProfileLocation[];
  /**
   * Where the organisation publishes Kura's releases (`kura admin publish-release`), as
   * `s3://bucket/prefix/`: the app checks it for updates with the user's own credentials.
   */
  updates?: string;
  /**
   * Sign-in through the user pool's managed login (OAuth 2.0 code + PKCE in the system browser,
   * RFC 8252), for organisations that sign in with their own identity provider (SAML, OIDC).
   * Absent: email and password only. Present: both, password and "Sign in with …".
   */
  managedLogin?: ManagedLoginSettings;
  /**
   * Extra certificate authorities (PEM) Kura trusts for this profile's endpoints, besides Node's
   * and the operating system's: a private endpoint's CA, or an inspecting proxy's root when it
   * cannot be installed on the computer.
   */
  caBundle?: string;
}

export interface ManagedLoginSettings {
  /**
   * The user pool's domain: `https://<prefix>.auth.<region>.amazoncognito.com` or a custom
   * domain (an origin, no path). Its /oauth2/authorize, /oauth2/token, /oauth2/revoke, /logout.
   */
  domain: string;
  /**
   * The buttons, in order. Each names an identity provider of the pool (`identityProvider`, the
   * name given to Cognito — or COGNITO for the pool's own page) or one of its identifiers
   * (`idpIdentifier`, e.g. the organisation's email domain); neither: managed login's own page,
   * which lists every provider. Absent: one button for that page.
   */
  providers?: ManagedLoginProvider[];
  /** OAuth scopes to ask for; absent: openid email profile aws.cognito.signin.user.admin. */
  scopes?: string[];
  /**
   * Fixed loopback ports to receive the redirect on, tried in order, for an authorization server
   * that matches the redirect URI's port exactly (the app client registers
   * `http://127.0.0.1:<port>/callback` for each). Absent: a port the system chooses (RFC 8252 §7.3).
   */
  redirectPorts?: number[];
}

export interface ManagedLoginProvider {
  identityProvider?: string;
  idpIdentifier?: string;
  /** On the button: "Sign in with <label>". */
  label: string;
}

/** Scopes asked for when a profile names none: an ID token, who the user is, and the user-pool API (MFA). */
export const DEFAULT_MANAGED_LOGIN_SCOPES = [
  'openid',
  'email',
  'profile',
  'aws.cognito.signin.user.admin',
];

/** The user's Cognito identity id in a location's prefix (IAM's `${cognito-identity.amazonaws.com:sub}`). */
export const IDENTITY_ID_VARIABLE = '${identityId}';

/** A bucket, or a folder in one, that users open; `prefix` may contain `${identityId}`. */
export interface ProfileLocation {
  bucket: string;
  /** '' or absent: the bucket's top level; else a folder prefix ending in '/'. */
  prefix?: string;
  label: string;
  /**
   * The IAM role that grants it (a Cognito group's role): Kura asks the identity pool for this
   * role's credentials to open it, and hides it from users whose ID token does not carry the role.
   * Absent: the identity pool's choice for the user.
   */
  roleArn?: string;
}

/** How a deployment of infra/template.yaml scopes what users read (its AccessScope parameter). */
export type AccessScope = 'WholeBucket' | 'OwnPrefix' | 'Groups';

/**
 * The locations a deployment offers: the whole bucket; each user's home; or the home and one
 * folder per group (`<group>/`, opened with the group's role). One rule for `kura admin profile`
 * (from a stack's outputs) and for local-aws's profile.json.
 */
/** What a user's home is called until the window puts it in their language (renderer). */
export const HOME_LABEL = 'My files';

export function scopeLocations(
  scope: AccessScope,
  bucket: string,
  groups: { name: string; roleArn: string }[] = [],
): ProfileLocation[] {
  if (scope === 'WholeBucket') return [{ bucket, prefix: '', label: bucket }];
  const home: ProfileLocation = { bucket, prefix: `${IDENTITY_ID_VARIABLE}/`, label: HOME_LABEL };
  if (scope === 'OwnPrefix') return [home];
  return [
    home,
    ...[...groups]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((g) => ({ bucket, prefix: `${g.name}/`, label: g.name, roleArn: g.roleArn })),
  ];
}
