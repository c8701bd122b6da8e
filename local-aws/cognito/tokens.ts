/** RS256 ID and access tokens signed with the pool's own key, and their verification. */
import { randomUUID } from 'node:crypto';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

export interface KeyMaterial {
  kid: string;
  privateJwk: JWK;
}

export async function createKeyMaterial(): Promise<KeyMaterial> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid: randomUUID(), privateJwk: await exportJWK(privateKey) };
}

export class TokenSigner {
  private constructor(
    readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly issuer: string,
  ) {}

  static async create(material: KeyMaterial, issuer: string): Promise<TokenSigner> {
    const priv = (await importJWK(material.privateJwk, 'RS256')) as CryptoKey;
    const { kty, n, e } = material.privateJwk;
    const publicJwk: JWK = { kty, n, e, alg: 'RS256', use: 'sig', kid: material.kid };
    const pub = (await importJWK(publicJwk, 'RS256')) as CryptoKey;
    return new TokenSigner(material.kid, priv, pub, publicJwk, issuer);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  sign(claims: JWTPayload, issuedAt: number, ttlSeconds: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid })
      .setIssuer(this.issuer)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /** Verifies signature, issuer and expiry against the server clock; throws on any failure. */
  async verify(token: string, nowSeconds: number): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: this.issuer,
      algorithms: ['RS256'],
      currentDate: new Date(nowSeconds * 1000),
    });
    return payload;
  }
}
