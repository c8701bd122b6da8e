/**
 * local-aws: a user pool, an identity pool and S3 with IAM checks on one loopback port.
 * Requests are routed by `X-Amz-Target` (the two Cognito JSON services) or else to S3; the
 * pool's JWKS and an admin endpoint for tests (`/_local-aws/…`) sit beside them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scopeLocations, type ConnectionProfile } from '../src/shared/profile';
import { Clock } from './clock';
import { AwsJsonError } from './cognito/errors';
import { DEFAULT_PASSWORD_POLICY } from './cognito/passwordPolicy';
import { createKeyMaterial, TokenSigner } from './cognito/tokens';
import { UserPool, type Json } from './cognito/userPool';
import { Faults, faultRuleSchema } from './faults';
import { ManagedLoginServer } from './managedLogin/hostedUi';
import {
  DEMO_IDP_USERS,
  TEST_IDP_NAME,
  TestIdentityProvider,
  type TestIdpUserInfo,
} from './managedLogin/testIdp';
import { isLoopbackHost, parseQuery, readSmallBody, sendJson } from './http';
import { sameSecret } from './managedLogin/http';
import { Link, type LinkPreset, type LinkSettings } from './link';
import { Principals } from './iam/principals';
import { POLICY_DIR, POLICY_FILES, RoleRegistry, type AccessPolicy } from './iam/roles';
import { SigV4Error, verifySigV4 } from './iam/sigv4';
import { IdentityPool } from './identity/identityPool';
import { ObjectStore } from './s3/objectStore';
import { S3Api } from './s3/s3Api';
import { seedDemo, type DemoUser } from './seed';
import { StateFile, type StateData } from './state';
import { tlsMaterial } from './tls';

export { POLICY_DIR, POLICY_FILES };

/** The template's AccessScope for each of local-aws's `--policy` values. */
const SCOPES = {
  'whole-bucket': 'WholeBucket',
  'own-prefix': 'OwnPrefix',
  groups: 'Groups',
} as const;

export interface LocalAwsOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where state, objects, profile.json and admin.json live; a new temp dir when absent. */
  dataDir?: string;
  seed?: 'demo' | 'none';
  /** Size of the demo's large file (default 200 MB). */
  seedLargeFileBytes?: number;
  region?: string;
  /** The bucket the role may read (created empty when not seeding). */
  bucket?: string;
  /**
   * The role policies (infra/policies): the whole bucket, each user's own prefix, or `groups`:
   * the own prefix plus a role per user pool group reading `<group>/`, mapped from the ID token
   * (role mapping of type Token, as infra/template.yaml deploys it).
   */
  policy?: AccessPolicy;
  /** `groups` policy: user pool groups created at start (if missing), each with its role. */
  groups?: string[];
  /** `groups` policy: what the identity pool does when the token names no single role. */
  ambiguousRoleResolution?: 'AuthenticatedRole' | 'Deny';
  credentialTtlSeconds?: number;
  idTokenTtlSeconds?: number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  refreshTokenRotation?: boolean;
  rotationGracePeriodSeconds?: number;
  requiredAttributes?: string[];
  /** The network between client and AWS (link.ts): a preset's name or settings; lan when absent. */
  link?: LinkPreset | Partial<LinkSettings>;
  /** The pool's MfaConfiguration (infra's `Mfa` parameter); OPTIONAL when absent. */
  mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  /**
   * Managed login: the pool's domain (the hosted sign-in page and OAuth endpoints, on a port of
   * its own), the app client's OAuth settings and the test OIDC identity provider. On unless false.
   */
  managedLogin?: boolean;
  /**
   * HTTPS with a certificate from local-aws's own CA (tls.ts), written to `ca.pem` beside
   * profile.json: a client must be told to trust it.
   */
  tls?: boolean;
  /**
   * The office network where only the proxy may connect out: requests that do not come from
   * `from` (the proxy's outgoing address) are refused — the connection dropped, as a firewall
   * does — for every service, or only for `services`. The admin endpoint stays open to tests.
   */
  proxyOnly?: { from: string; services?: ('s3' | 'cognito-idp' | 'cognito-identity')[] };
}

/** The app client's OAuth settings local-aws deploys (as infra/template.yaml does). */
export const LOCAL_OAUTH = {
  callbackUrls: ['http://127.0.0.1/callback'],
  logoutUrls: ['http://127.0.0.1/signed-out'],
  scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
};

export interface AdminInfo {
  region: string;
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bearer token for the `/_local-aws/` admin endpoint. */
  adminToken: string;
  userPoolId: string;
  bucket: string;
  users: DemoUser[];
  /** Managed login: the pool's domain, and the test identity provider's users (its own directory). */
  managedLoginDomain?: string;
  identityProviderUsers?: TestIdpUserInfo[];
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomId = (n: number, alphabet = ALNUM) =>
  Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');

function newState(region: string): Omit<StateData, 'signingKey'> {
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const hex = randomBytes(16).toString('hex');
  return {
    version: 1,
    ids: {
      region,
      userPoolId: `${region}_${randomId(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
      clientId: randomId(26),
      identityPoolId: `${region}:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
      accountId: '000000000000',
      adminAccessKeyId: `AKIA${randomId(16, upper)}`,
      adminSecretAccessKey: randomBytes(30).toString('base64'),
      adminToken: randomBytes(24).toString('base64url'),
      serverSecret: randomBytes(32).toString('hex'),
    },
    users: {},
    refreshTokens: {},
    identities: {},
    credentials: {},
    forgotCodes: {},
    outbox: [],
  };
}

export class LocalAws {
  url = '';
  port = 0;
  /** Accepts connections and hands them, shaped by the link, to the HTTP server. */
  private front?: ReturnType<typeof createTcpServer>;
  private readonly sockets = new Set<Socket>();
  readonly link = new Link();
  /** The pool's managed login (its domain), when on. */
  managedLogin?: ManagedLoginServer;
  /** The test OIDC identity provider the pool federates, when managed login is on. */
  testIdp?: TestIdentityProvider;
  /** `--tls`: the CA's certificate (PEM) and where it was written. */
  ca?: { pem: string; path: string };
  private proxyOnly?: LocalAwsOptions['proxyOnly'];
  /** Requests refused because they did not come through the proxy (see proxyOnly). */
  refusedDirect = 0;
  /** Where each connection came from (the link may hand the HTTP server a wrapper). */
  private readonly sources = new WeakMap<object, string>();
  private constructor(
    readonly clock: Clock,
    readonly faults: Faults,
    private readonly signer: TokenSigner,
    readonly dataDir: string,
    readonly state: StateFile,
    readonly userPool: UserPool,
    readonly identityPool: IdentityPool,
    readonly store: ObjectStore,
    readonly principals: Principals,
    readonly bucket: string,
    private readonly s3: S3Api,
    readonly demoUsers: DemoUser[],
    readonly roles: RoleRegistry,
  ) {}

  get profilePath(): string {
    return join(this.dataDir, 'profile.json');
  }

  get adminPath(): string {
    return join(this.dataDir, 'admin.json');
  }

  get ids() {
    return this.state.data.ids;
  }

  /** Counters of what S3 sent (GetObject requests and body bytes). */
  get s3Stats(): Readonly<S3Api['stats']> {
    return this.s3.stats;
  }

  static async start(options: LocalAwsOptions = {}): Promise<LocalAws> {
    const region = options.region ?? 'ap-northeast-1';
    const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-aws-')));
    mkdirSync(dataDir, { recursive: true });
    const loaded = StateFile.load(dataDir);
    const data: StateData = loaded ?? {
      ...newState(region),
      signingKey: await createKeyMaterial(),
    };
    const state = new StateFile(dataDir, data);
    state.save();
    const ids = data.ids;
    const clock = new Clock();
    const faults = new Faults();
    const signer = await TokenSigner.create(
      data.signingKey,
      `https://cognito-idp.${ids.region}.amazonaws.com/${ids.userPoolId}`,
    );
    const userPool = new UserPool(state, clock, signer, {
      passwordPolicy: DEFAULT_PASSWORD_POLICY,
      idTokenTtlSeconds: options.idTokenTtlSeconds ?? 3600,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 86400,
      refreshTokenRotation: options.refreshTokenRotation ?? false,
      rotationGracePeriodSeconds: options.rotationGracePeriodSeconds ?? 0,
      requiredAttributes: options.requiredAttributes ?? ['email'],
      preventUserExistenceErrors: true,
      mfa: options.mfa ?? 'OPTIONAL',
    });
    const bucket = options.bucket ?? 'kura-demo';
    const policy = options.policy ?? 'whole-bucket';
    const roles = new RoleRegistry(
      ids.accountId,
      policy,
      { BucketName: bucket, IdentityPoolId: ids.identityPoolId },
      data.groupRoles,
    );
    roles.onChange = (groups) => {
      data.groupRoles = groups;
      state.save();
    };
    const identityPool = new IdentityPool(state, clock, signer, userPool, {
      credentialTtlSeconds: options.credentialTtlSeconds ?? 3600,
      roleArn: roles.defaultRoleArn,
      trustPolicy: roles.trustPolicy,
      roleExists: (arn) => roles.exists(arn),
      ...(policy === 'groups'
        ? {
            roleMapping: {
              type: 'Token' as const,
              ambiguousRoleResolution: options.ambiguousRoleResolution ?? 'AuthenticatedRole',
            },
          }
        : {}),
    });
    if (policy === 'groups') {
      for (const g of options.groups ?? []) {
        const roleArn = roles.addGroupRole(g);
        if (!userPool.groups.list().some((x) => x.name === g))
          userPool.groups.create(g, { roleArn });
      }
    }
    const store = new ObjectStore(dataDir);
    const principals = new Principals(
      state,
      clock,
      (arn) => roles.policiesFor(arn),
      roles.defaultRoleArn,
    );
    const s3 = new S3Api({
      region: ids.region,
      accountId: ids.accountId,
      store,
      principals,
      faults,
      tokenSecret: ids.serverSecret,
    });
    let demoUsers: DemoUser[] = [];
    if (options.seed === 'demo') {
      demoUsers = await seedDemo(
        store,
        userPool,
        bucket,
        dataDir,
        options.seedLargeFileBytes ?? 200 * 1024 * 1024,
        { policy, identityFor: (sub) => identityPool.identityFor(sub), roles },
      );
    } else if (!store.hasBucket(bucket)) {
      store.createBucket(bucket);
    }
    const aws = new LocalAws(
      clock,
      faults,
      signer,
      dataDir,
      state,
      userPool,
      identityPool,
      store,
      principals,
      bucket,
      s3,
      demoUsers,
      roles,
    );
    if (options.link !== undefined) aws.link.set(options.link);
    aws.proxyOnly = options.proxyOnly;
    await aws.listen(options.port ?? 0, options.tls ?? false);
    if (options.managedLogin !== false) await aws.startManagedLogin();
    // Groups come and go (kura admin create-group): profile.json lists their folders.
    userPool.groups.onChange = () => aws.writeFiles();
    return aws;
  }

  private async listen(port: number, tls: boolean) {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      // The Date header is local-aws's clock (shifted by the skew fault), as a server's would be.
      res.sendDate = false;
      res.setHeader('date', new Date(this.clock.now()).toUTCString());
      const admin = (req.url ?? '').startsWith('/_local-aws/');
      (admin ? this.route(req, res) : this.link.delay().then(() => this.route(req, res))).catch(
        (err: unknown) => {
          console.error('local-aws: unhandled error', err);
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        },
      );
    };
    const serverOptions = { keepAliveTimeout: 30_000, requestTimeout: 0 };
    let server;
    if (tls) {
      const m = tlsMaterial(this.dataDir);
      this.ca = { pem: m.caPem, path: m.caPath };
      server = createHttpsServer({ ...serverOptions, key: m.key, cert: m.cert }, handler);
    } else server = createServer(serverOptions, handler);
    server.headersTimeout = 60_000;
    // The HTTP server listens through a front TCP server, so the link can shape each connection.
    // Without Nagle, as node:http's own server and S3 send: an answer written as headers, then a
    // body smaller than a segment, would otherwise wait for the client's delayed ACK (~40 ms on
    // Linux) after the headers — a stall no real link has.
    const front = createTcpServer((socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      const handed = this.link.accept(socket);
      this.sources.set(handed, socket.remoteAddress?.replace(/^::ffff:/, '') ?? '');
      server.emit('connection', handed);
    });
    await new Promise<void>((resolveListen, reject) => {
      front.once('error', reject);
      front.listen(port, '127.0.0.1', () => resolveListen());
    });
    this.front = front;
    this.port = (front.address() as AddressInfo).port;
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
    this.writeFiles();
  }

  /**
   * The pool's domain and its federated provider: the test IdP (a client of its own, secret
   * derived from the server's), then managed login, then the app client's OAuth settings.
   */
  private async startManagedLogin() {
    const secret = createHash('sha256')
      .update(`${this.ids.serverSecret}/test-idp`)
      .digest('base64url');
    const idp: TestIdentityProvider = new TestIdentityProvider(this.state, this.clock, {
      id: 'local-aws-user-pool',
      secret,
      redirectUri: (): string => `${ml.url}/oauth2/idpresponse`,
    });
    const ml: ManagedLoginServer = new ManagedLoginServer(this.userPool, this.clock, [
      {
        name: TEST_IDP_NAME,
        get issuer() {
          return idp.url;
        },
        clientId: idp.client.id,
        clientSecret: secret,
        scopes: 'openid email profile',
        identifiers: ['testidp.example'],
        attributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
      },
    ]);
    await idp.start();
    await ml.start();
    for (const u of DEMO_IDP_USERS) idp.addUser(u);
    this.testIdp = idp;
    this.managedLogin = ml;
    this.userPool.settings.oauth = {
      domain: ml.url,
      ...LOCAL_OAUTH,
      identityProviders: ['COGNITO', TEST_IDP_NAME],
    };
    this.writeFiles();
  }

  /** The locations of this policy, as `kura admin profile` writes them from a stack. */
  private locations() {
    const groups = this.userPool.groups
      .list()
      .filter((g) => g.roleArn && this.roles.groupOf(g.roleArn) !== undefined)
      .map((g) => ({ name: g.name, roleArn: g.roleArn! }));
    return scopeLocations(SCOPES[this.roles.policy], this.bucket, groups);
  }

  private writeFiles() {
    if (!this.url) return;
    const ids = this.ids;
    const profile: ConnectionProfile = {
      version: 1,
      name: 'Kura local demo (local-aws)',
      region: ids.region,
      userPoolId: ids.userPoolId,
      userPoolClientId: ids.clientId,
      identityPoolId: ids.identityPoolId,
      buckets: [this.bucket],
      locations: this.locations(),
      endpoints: { cognitoIdp: this.url, cognitoIdentity: this.url, s3: this.url },
      s3ForcePathStyle: true,
      ...(this.managedLogin?.url
        ? {
            managedLogin: {
              domain: this.managedLogin.url,
              providers: [
                { identityProvider: TEST_IDP_NAME, label: 'Test IdP' },
                { label: 'local-aws managed login' },
              ],
            },
          }
        : {}),
    };
    writeFileSync(this.profilePath, JSON.stringify(profile, null, 2) + '\n');
    const admin: AdminInfo = {
      region: ids.region,
      endpoint: this.url,
      accessKeyId: ids.adminAccessKeyId,
      secretAccessKey: ids.adminSecretAccessKey,
      adminToken: ids.adminToken,
      userPoolId: ids.userPoolId,
      bucket: this.bucket,
      users: this.demoUsers,
      ...(this.managedLogin?.url
        ? { managedLoginDomain: this.managedLogin.url, identityProviderUsers: DEMO_IDP_USERS }
        : {}),
    };
    writeFileSync(this.adminPath, JSON.stringify(admin, null, 2) + '\n', { mode: 0o600 });
  }

  get profile(): ConnectionProfile {
    return JSON.parse(readFileSync(this.profilePath, 'utf8')) as ConnectionProfile;
  }

  get admin(): AdminInfo {
    return JSON.parse(readFileSync(this.adminPath, 'utf8')) as AdminInfo;
  }

  async stop(): Promise<void> {
    const front = this.front;
    if (!front) return;
    this.front = undefined;
    await this.managedLogin?.stop();
    await this.testIdp?.stop();
    await new Promise<void>((done) => {
      front.close(() => done());
      for (const socket of this.sockets) socket.destroy();
    });
    this.state.save(this.clock.now());
  }

  // ------------------------------------------------------------- routing

  private async route(req: IncomingMessage, res: ServerResponse) {
    if (!isLoopbackHost(req.headers.host)) {
      // A page on another site whose name resolves to 127.0.0.1 (DNS rebinding) names itself.
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end('local-aws answers only loopback names: 127.0.0.1, localhost, [::1]\n');
      return;
    }
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    if (path.startsWith('/_local-aws/')) return this.adminEndpoint(req, res, path, url);
    if (this.refusesDirect(req)) {
      this.refusedDirect++;
      req.socket.destroy();
      return;
    }
    const ids = this.ids;
    if (req.method === 'GET' && path === `/${ids.userPoolId}/.well-known/jwks.json`) {
      return sendJson(res, 200, this.signer.jwks(), 'application/json');
    }
    if (req.method === 'GET' && path === `/${ids.userPoolId}/.well-known/openid-configuration`) {
      const issuer = this.signer.issuer;
      // As Cognito publishes it: the domain's endpoints when the pool has one.
      const domain = this.userPool.settings.oauth?.domain;
      return sendJson(
        res,
        200,
        {
          issuer,
          jwks_uri: `${this.url}/${ids.userPoolId}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256'],
          subject_types_supported: ['public'],
          response_types_supported: ['code', 'token'],
          scopes_supported: ['openid', 'email', 'phone', 'profile'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          ...(domain
            ? {
                authorization_endpoint: `${domain}/oauth2/authorize`,
                token_endpoint: `${domain}/oauth2/token`,
                userinfo_endpoint: `${domain}/oauth2/userInfo`,
                revocation_endpoint: `${domain}/oauth2/revoke`,
                end_session_endpoint: `${domain}/logout`,
              }
            : {}),
        },
        'application/json',
      );
    }
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && req.method === 'POST') {
      const [service, op = ''] = target.split('.');
      if (service === 'AWSCognitoIdentityProviderService')
        return this.json(req, res, 'cognito-idp', op);
      if (service === 'AWSCognitoIdentityService')
        return this.json(req, res, 'cognito-identity', op);
    }
    return this.s3.handle(req, res);
  }

  /** Whether this request came around the proxy (proxyOnly), for the service it is for. */
  private refusesDirect(req: IncomingMessage): boolean {
    const p = this.proxyOnly;
    if (!p) return false;
    // Over TLS the request's socket wraps the one the front server handed on.
    const s = req.socket as unknown as { _parent?: object };
    const source = this.sources.get(req.socket) ?? (s._parent && this.sources.get(s._parent));
    if (source === p.from) return false;
    if (!p.services) return true;
    const target = req.headers['x-amz-target'];
    const service =
      typeof target !== 'string'
        ? 's3'
        : target.startsWith('AWSCognitoIdentityProviderService.')
          ? 'cognito-idp'
          : target.startsWith('AWSCognitoIdentityService.')
            ? 'cognito-identity'
            : 's3';
    return p.services.includes(service);
  }

  private async json(
    req: IncomingMessage,
    res: ServerResponse,
    service: 'cognito-idp' | 'cognito-identity',
    op: string,
  ) {
    const contentType = 'application/x-amz-json-1.1';
    try {
      const raw = await readSmallBody(req);
      const faults = this.faults.take({ service, operation: op });
      if (faults.hold) await this.faults.hold({ service, operation: op });
      if (faults.latencyMs) await new Promise((done) => setTimeout(done, faults.latencyMs));
      if (faults.status === 503)
        throw new AwsJsonError('TooManyRequestsException', 'Rate exceeded', 400);
      if (faults.status === 500)
        throw new AwsJsonError('InternalErrorException', 'Internal server error', 500);
      let body: Json;
      try {
        body = JSON.parse(raw.toString('utf8') || '{}') as Json;
      } catch {
        throw new AwsJsonError('SerializationException', 'Request body is not valid JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new AwsJsonError('SerializationException', 'Request body must be a JSON object');
      }
      let result: unknown;
      if (service === 'cognito-idp') {
        if (UserPool.ADMIN_OPERATIONS.has(op)) await this.requireIam(req, raw, service, op);
        result = await this.userPool.handle(op, body);
      } else {
        result = await this.identityPool.handle(op, body);
      }
      sendJson(res, 200, result, contentType);
    } catch (err) {
      if (err instanceof AwsJsonError) {
        res.setHeader('x-amzn-errortype', err.type);
        sendJson(res, err.status, { __type: err.type, message: err.message }, contentType);
      } else {
        console.error(`local-aws: ${service} ${op} failed`, err);
        sendJson(
          res,
          500,
          { __type: 'InternalErrorException', message: 'Internal server error' },
          contentType,
        );
      }
    }
  }

  /** Administrator APIs are IAM-authenticated (SigV4) and authorised like any AWS call. */
  private async requireIam(req: IncomingMessage, body: Buffer, service: string, op: string) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let verified;
    try {
      verified = await verifySigV4(
        {
          method: req.method ?? 'POST',
          rawPath: q === -1 ? url : url.slice(0, q),
          query: parseQuery(q === -1 ? '' : url.slice(q + 1)),
          headers: req.headers,
          service,
          region: this.ids.region,
          body,
        },
        this.principals.lookup,
        this.clock.now(),
      );
    } catch (err) {
      if (err instanceof SigV4Error) {
        const type =
          err.code === 'SignatureDoesNotMatch' || err.code === 'AuthorizationHeaderMalformed'
            ? 'InvalidSignatureException'
            : err.code === 'ExpiredToken'
              ? 'ExpiredTokenException'
              : err.code === 'AccessDenied'
                ? 'IncompleteSignatureException'
                : 'UnrecognizedClientException';
        throw new AwsJsonError(type, err.message, 400);
      }
      throw err;
    }
    if (!verified)
      throw new AwsJsonError(
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        400,
      );
    const action = `${service}:${op}`;
    if (this.principals.authorize(verified.principal, action, this.userPool.poolArn) !== 'Allow') {
      throw new AwsJsonError(
        'AccessDeniedException',
        `User: ${this.principals.describe(verified.principal)} is not authorized to perform: ${action} on resource: ${this.userPool.poolArn}`,
      );
    }
  }

  private async adminEndpoint(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: string,
  ) {
    const json = 'application/json';
    if (!sameSecret(req.headers.authorization ?? '', `Bearer ${this.ids.adminToken}`)) {
      return sendJson(res, 401, { error: 'admin token required (see admin.json)' }, json);
    }
    try {
      const raw = await readSmallBody(req);
      const body = (raw.length ? JSON.parse(raw.toString('utf8')) : {}) as Record<string, unknown>;
      const query = parseQuery(url.split('?')[1] ?? '');
      const route = `${req.method} ${path}`;
      switch (route) {
        case 'GET /_local-aws/health':
          return sendJson(res, 200, { ok: true }, json);
        case 'GET /_local-aws/outbox': {
          const to = query.get('to');
          const messages = this.userPool
            .outbox()
            .filter((m) => !to || m.to.toLowerCase() === to.toLowerCase());
          return sendJson(res, 200, messages, json);
        }
        case 'PUT /_local-aws/faults':
          this.faults.set(faultRuleSchema.array().parse(body));
          return sendJson(res, 200, { ok: true }, json);
        case 'POST /_local-aws/faults':
          this.faults.add(faultRuleSchema.parse(body));
          return sendJson(res, 200, { ok: true }, json);
        case 'DELETE /_local-aws/faults':
          this.faults.clear();
          return sendJson(res, 200, { ok: true }, json);
        case 'GET /_local-aws/link':
          return sendJson(res, 200, this.link.settings, json);
        case 'PUT /_local-aws/link':
          return sendJson(res, 200, this.link.set(body), json);
        case 'POST /_local-aws/group-roles': {
          // Stands in for deploying the template with another name in GroupNames: the role
          // exists from now on (the user pool group is made separately, e.g. kura admin).
          let roleArn: string;
          try {
            roleArn = this.roles.addGroupRole(typeof body.name === 'string' ? body.name : '');
          } catch (err) {
            return sendJson(res, 400, { error: (err as Error).message }, json);
          }
          this.writeFiles();
          return sendJson(res, 200, { roleArn }, json);
        }
        case 'GET /_local-aws/faults/held':
          return sendJson(res, 200, this.faults.holding(), json);
        case 'POST /_local-aws/faults/release':
          return sendJson(res, 200, { released: this.faults.release() }, json);
        case 'POST /_local-aws/credentials/expire':
          this.identityPool.expireAllCredentials();
          return sendJson(res, 200, { ok: true }, json);
        case 'POST /_local-aws/clock':
          this.clock.setSkew(Number(body.skewMs ?? 0));
          return sendJson(res, 200, { ok: true }, json);
        case 'POST /_local-aws/sign-out': {
          const user = this.userPool.findUser(
            typeof body.username === 'string' ? body.username : '',
          );
          if (!user) return sendJson(res, 404, { error: 'no such user' }, json);
          this.userPool.globalSignOut(user);
          return sendJson(res, 200, { ok: true }, json);
        }
        case 'PUT /_local-aws/settings':
          this.applySettings(body);
          return sendJson(res, 200, { ok: true }, json);
        default:
          return sendJson(res, 404, { error: `unknown admin route ${route}` }, json);
      }
    } catch (err) {
      return sendJson(res, 400, { error: String(err) }, json);
    }
  }

  /** Changes token and credential lifetimes at run time (tests of renewal). */
  applySettings(body: Record<string, unknown>): void {
    const pool = this.userPool.settings;
    const num = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined);
    pool.idTokenTtlSeconds = num(body.idTokenTtlSeconds) ?? pool.idTokenTtlSeconds;
    pool.accessTokenTtlSeconds = num(body.accessTokenTtlSeconds) ?? pool.accessTokenTtlSeconds;
    pool.refreshTokenTtlSeconds = num(body.refreshTokenTtlSeconds) ?? pool.refreshTokenTtlSeconds;
    if (typeof body.refreshTokenRotation === 'boolean')
      pool.refreshTokenRotation = body.refreshTokenRotation;
    const ip = this.identityPool.settings;
    ip.credentialTtlSeconds = num(body.credentialTtlSeconds) ?? ip.credentialTtlSeconds;
  }
}

export const startLocalAws = (options?: LocalAwsOptions) => LocalAws.start(options);
