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
   * Where the organisation publishes Kura's releases (`kura admin publish-release`), as
   * `s3://bucket/prefix/`: the app checks it for updates with the user's own credentials.
   */
  updates?: string;
}
