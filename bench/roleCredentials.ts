/** Role credentials for a user, the way Kura gets them (for giving peers the same access). */
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import type { ConnectionProfile } from '../src/shared/profile';

export async function roleCredentialsFor(
  profile: ConnectionProfile,
  email: string,
  password: string,
) {
  const pool = new CognitoUserPool({
    UserPoolId: profile.userPoolId,
    ClientId: profile.userPoolClientId,
    endpoint: profile.endpoints?.cognitoIdp,
  });
  const user = new CognitoUser({ Username: email, Pool: pool });
  const session = await new Promise<CognitoUserSession>((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );
  const client = new CognitoIdentityClient({
    region: profile.region,
    endpoint: profile.endpoints?.cognitoIdentity,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  const Logins = {
    [`cognito-idp.${profile.region}.amazonaws.com/${profile.userPoolId}`]: session
      .getIdToken()
      .getJwtToken(),
  };
  const { IdentityId } = await client.send(
    new GetIdCommand({ IdentityPoolId: profile.identityPoolId, Logins }),
  );
  const { Credentials } = await client.send(
    new GetCredentialsForIdentityCommand({ IdentityId, Logins }),
  );
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}
