/**
 * Every error a user can meet, as a code with a message in English and Japanese that says what
 * to do. Main sends `{ code, detail }` across IPC; the UI and the CLI render the message.
 */
export const ERROR_MESSAGES = {
  WRONG_CREDENTIALS: {
    en: 'The email or password is not correct. Check both and try again.',
    ja: 'メールアドレスまたはパスワードが正しくありません。確認してもう一度お試しください。',
  },
  USER_DISABLED: {
    en: 'This account is disabled. Ask your administrator to enable it.',
    ja: 'このアカウントは無効になっています。管理者に有効化を依頼してください。',
  },
  ACCOUNT_LOCKED: {
    en: 'Too many wrong passwords. Wait a few minutes, then try again.',
    ja: 'パスワードの誤りが多すぎます。数分待ってからもう一度お試しください。',
  },
  PASSWORD_RESET_REQUIRED: {
    en: 'Your password must be reset. Use "Forgot password" to set a new one.',
    ja: 'パスワードの再設定が必要です。「パスワードを忘れた場合」から新しいパスワードを設定してください。',
  },
  TEMP_PASSWORD_EXPIRED: {
    en: 'Your temporary password has expired. Ask your administrator for a new one.',
    ja: '仮パスワードの有効期限が切れています。管理者に新しい仮パスワードを依頼してください。',
  },
  WEAK_PASSWORD: {
    en: 'The new password is not accepted: {detail}. Choose another one.',
    ja: '新しいパスワードは使用できません: {detail}。別のパスワードを選んでください。',
  },
  CODE_MISMATCH: {
    en: 'The code is not correct. Check it and try again.',
    ja: 'コードが正しくありません。確認してもう一度お試しください。',
  },
  CODE_EXPIRED: {
    en: 'The code has expired. Request a new one.',
    ja: 'コードの有効期限が切れています。新しいコードを請求してください。',
  },
  CHALLENGE_EXPIRED: {
    en: 'This sign-in step took too long. Sign in again.',
    ja: 'このサインイン手順の有効期限が切れました。もう一度サインインしてください。',
  },
  SESSION_EXPIRED: {
    en: 'Your session has ended. Sign in again.',
    ja: 'セッションが終了しました。もう一度サインインしてください。',
  },
  NOT_SIGNED_IN: {
    en: 'You are not signed in. Sign in first.',
    ja: 'サインインしていません。先にサインインしてください。',
  },
  NETWORK: {
    en: 'Cannot reach the server. Check your network connection and try again.',
    ja: 'サーバーに接続できません。ネットワーク接続を確認してもう一度お試しください。',
  },
  THROTTLED: {
    en: 'The service is busy. Try again in a moment.',
    ja: 'サービスが混み合っています。しばらくしてからもう一度お試しください。',
  },
  PROFILE_INVALID: {
    en: 'The connection profile is not valid: {detail}',
    ja: '接続プロファイルが正しくありません: {detail}',
  },
  NO_PROFILE: {
    en: 'No connection profile is set up. Import the profile your administrator gave you.',
    ja: '接続プロファイルが設定されていません。管理者から受け取ったプロファイルを読み込んでください。',
  },
  ACCESS_DENIED: {
    en: 'You do not have permission to read this. Ask your administrator if you need it.',
    ja: 'これを読み取る権限がありません。必要な場合は管理者に問い合わせてください。',
  },
  NOT_FOUND: {
    en: 'This file or folder no longer exists.',
    ja: 'このファイルまたはフォルダーはもう存在しません。',
  },
  NO_SUCH_BUCKET: {
    en: 'The bucket does not exist. Check the connection profile.',
    ja: 'バケットが存在しません。接続プロファイルを確認してください。',
  },
  UNSAFE_NAME: {
    en: 'This name cannot be saved safely on this computer: {detail}',
    ja: 'この名前はこのコンピューターに安全に保存できません: {detail}',
  },
  DISK: {
    en: 'The file could not be written ({detail}). Check free space and folder permissions.',
    ja: 'ファイルを書き込めませんでした（{detail}）。空き容量とフォルダーの権限を確認してください。',
  },
  INTEGRITY: {
    en: 'The downloaded file did not match the original and was discarded. Try again.',
    ja: 'ダウンロードしたファイルが元のファイルと一致しなかったため破棄しました。もう一度お試しください。',
  },
  DRAG_UNAVAILABLE: {
    en: 'Dragging files out needs the Kura desktop app. Use Download instead.',
    ja: 'ファイルのドラッグには Kura デスクトップアプリが必要です。代わりに「ダウンロード」を使ってください。',
  },
  DRAG_TOO_LARGE: {
    en: 'This file is too large to drag out (the limit is {detail}). Use Download instead.',
    ja: 'このファイルは大きすぎてドラッグできません（上限は {detail}）。代わりに「ダウンロード」を使ってください。',
  },
  DRAG_CACHE_FULL: {
    en: 'Other files are still being readied for dragging. Try again when they are ready.',
    ja: 'ほかのファイルをドラッグ用に準備しています。準備ができてからもう一度お試しください。',
  },
  CANCELLED: {
    en: 'Cancelled.',
    ja: 'キャンセルしました。',
  },
  INVALID_ARGUMENT: {
    en: 'Kura could not do this because of a problem inside the app. Try again; if it happens again, restart Kura.',
    ja: 'アプリ内部の問題のため実行できませんでした。もう一度お試しください。繰り返し起きる場合は Kura を再起動してください。',
  },
  TOO_MANY_ATTEMPTS: {
    en: 'Too many wrong codes. Request a new code, then try again.',
    ja: 'コードの誤りが多すぎます。新しいコードを請求してから、もう一度お試しください。',
  },
  UNKNOWN: {
    en: 'Something unexpected went wrong. Try again; if it happens again, tell your administrator.',
    ja: '予期しない問題が発生しました。もう一度お試しください。繰り返し起きる場合は管理者に連絡してください。',
  },
  UNAVAILABLE: {
    en: 'The storage service is busy or not answering properly right now. Try again in a few minutes.',
    ja: 'ストレージサービスが混み合っているか、正しく応答していません。数分後にもう一度お試しください。',
  },
  CODE_FORMAT: {
    en: 'Enter the code as 6 to 8 digits, without spaces.',
    ja: 'コードは 6〜8 桁の数字で、空白を入れずに入力してください。',
  },
  EMAIL_FORMAT: {
    en: 'Enter your email address, such as name@example.com.',
    ja: 'メールアドレスを name@example.com のように入力してください。',
  },
  PASSWORD_FORMAT: {
    en: 'Enter a password of 1 to 256 characters.',
    ja: 'パスワードを 1〜256 文字で入力してください。',
  },
  MFA_SETUP_REQUIRED: {
    en: 'This account must set up two-step verification before it can sign in here. Ask your administrator.',
    ja: 'このアカウントは、サインインする前に 2 段階認証を設定する必要があります。管理者に問い合わせてください。',
  },
  CHALLENGE_UNSUPPORTED: {
    en: 'This account needs a sign-in step Kura does not support. Ask your administrator.',
    ja: 'このアカウントには Kura が対応していないサインイン手順が必要です。管理者に問い合わせてください。',
  },
  NOTHING_TO_RESEND: {
    en: 'No code can be sent again at this step. Go back and start again.',
    ja: 'この手順ではコードを再送できません。戻ってもう一度やり直してください。',
  },
  DEST_NOT_FOLDER: {
    en: 'Something named "{detail}" in the download folder is a file or a link, not a folder. Move or rename it, then try again.',
    ja: 'ダウンロード先にある「{detail}」はフォルダーではなくファイルまたはリンクです。移動するか名前を変えてから、もう一度お試しください。',
  },
  OPEN_REFUSED: {
    en: 'Kura does not open this kind of file ({detail}): programs and scripts can harm your computer. Use "Show in folder" if you trust it.',
    ja: 'この種類のファイル（{detail}）はプログラムやスクリプトとしてコンピューターに害を与えるおそれがあるため、Kura では開きません。信頼できる場合は「フォルダーに表示」を使ってください。',
  },
  FILE_CHANGED: {
    en: 'The downloaded file was changed, moved or deleted after Kura checked it. Download it again to open it.',
    ja: 'ダウンロードしたファイルは、Kura が検証した後に変更・移動・削除されています。開くにはもう一度ダウンロードしてください。',
  },
  DRAG_NOT_READY: {
    en: 'This file is still being prepared. Drag it again when it is ready.',
    ja: 'このファイルはまだ準備中です。準備ができてからもう一度ドラッグしてください。',
  },
  PROFILE_NOT_FOUND: {
    en: 'That connection profile is no longer set up. Import it again.',
    ja: 'その接続プロファイルはもう設定されていません。もう一度読み込んでください。',
  },
  UPDATE_NOT_PUBLISHED: {
    en: 'Your organisation has not published a Kura release for this computer yet ({detail}). Kura looks again later; ask your administrator if this stays.',
    ja: 'このコンピューター用の Kura のリリースが組織でまだ公開されていません ({detail})。Kura は後でもう一度確認します。続く場合は管理者に問い合わせてください。',
  },
  NO_LOCATIONS: {
    en: 'There is no place you may open with this account. Ask your administrator for access.',
    ja: 'このアカウントで開ける場所がありません。管理者にアクセス権を依頼してください。',
  },
  GROUP_NOT_FOUND: {
    en: 'There is no group named {detail}. `kura admin list-groups` shows the groups.',
    ja: '{detail} という名前のグループはありません。`kura admin list-groups` でグループを確認できます。',
  },
  GROUP_EXISTS: {
    en: 'A group named {detail} exists already. `kura admin list-groups` shows the groups.',
    ja: '{detail} という名前のグループは既にあります。`kura admin list-groups` でグループを確認できます。',
  },
  GROUP_ROLE_NOT_IN_PROFILE: {
    en: "Note: {detail} is not one of this profile's group roles. It must also read each member's own folder (${cognito-identity.amazonaws.com:sub}/*), or a member of this group alone is refused their home; and give users a profile that lists the group's folder.",
    ja: '注意: {detail} はこのプロファイルのグループロールではありません。このロールはメンバー各自のフォルダー（${cognito-identity.amazonaws.com:sub}/*）も読めるようにしてください。そうでないと、このグループだけに属するメンバーは自分のフォルダーを開けません。また、グループのフォルダーを含むプロファイルを利用者に渡してください。',
  },
  USER_NOT_FOUND: {
    en: 'There is no user {detail}. `kura admin list-users` shows the users.',
    ja: 'ユーザー {detail} は存在しません。`kura admin list-users` でユーザーを確認できます。',
  },
  RELEASE_INVALID: {
    en: 'The release cannot be published: {detail}. Nothing was uploaded.',
    ja: 'リリースを公開できません: {detail}。何もアップロードしていません。',
  },
  SIGN_IN_TIMEOUT: {
    en: 'The sign-in in your browser was not finished in time. Start it again.',
    ja: 'ブラウザーでのサインインが時間内に終わりませんでした。もう一度始めてください。',
  },
  BROWSER_SIGN_IN_FAILED: {
    en: 'The sign-in page of your organisation did not sign you in. Start again; if it happens again, tell your administrator.',
    ja: '組織のサインインページでサインインできませんでした。もう一度始めてください。繰り返し起きる場合は管理者に連絡してください。',
  },
  SIGN_IN_UNTRUSTED: {
    en: 'The answer of the sign-in page could not be verified, so Kura did not sign you in. Start again; if it happens again, tell your administrator.',
    ja: 'サインインページからの応答を検証できなかったため、Kura はサインインしませんでした。もう一度始めてください。繰り返し起きる場合は管理者に連絡してください。',
  },
  MANAGED_LOGIN_NOT_ALLOWED: {
    en: "Your organisation's sign-in page does not accept Kura. Ask your administrator to check the app client's sign-in settings (OAuth).",
    ja: '組織のサインインページが Kura を受け付けていません。アプリクライアントのサインイン設定を確認するよう管理者に依頼してください。',
  },
  NO_MANAGED_LOGIN: {
    en: 'This connection offers no sign-in through your organisation. Sign in with your email and password.',
    ja: 'この接続では組織のアカウントでのサインインは使えません。メールアドレスとパスワードでサインインしてください。',
  },
  BROWSER_UNAVAILABLE: {
    en: 'Kura could not open your web browser. Open a browser, then try again.',
    ja: 'ブラウザーを開けませんでした。ブラウザーを起動してから、もう一度お試しください。',
  },
  REDIRECT_PORT_BUSY: {
    en: 'Kura cannot receive the sign-in: the ports your organisation set for it are in use. Close the program that uses them, or ask your administrator.',
    ja: 'サインインを受け取れません。組織が指定したポートがほかのプログラムに使われています。そのプログラムを終了するか、管理者に問い合わせてください。',
  },
  MFA_REQUIRED_BY_ORGANISATION: {
    en: 'Your organisation requires two-step verification, so the authenticator app stays on this account.',
    ja: '組織が 2 段階認証を必須にしているため、認証アプリはこのアカウントから外せません。',
  },
  MFA_NOT_AVAILABLE: {
    en: "Two-step verification of this account is managed by your organisation's sign-in, not by Kura.",
    ja: 'このアカウントの 2 段階認証は、Kura ではなく組織のサインインで管理されています。',
  },
  TLS_UNTRUSTED: {
    en: 'Kura refused the certificate of {detail}. If your organisation inspects secure connections, ask your administrator to install its root certificate on this computer, or to add it to the connection profile (caBundle).',
    ja: 'Kura は {detail} の証明書を拒否しました。組織が安全な接続を検査している場合は、そのルート証明書をこのコンピューターにインストールするか、接続プロファイル（caBundle）に追加するよう管理者に依頼してください。',
  },
  PROXY_AUTH_REQUIRED: {
    en: 'The proxy server {detail} asks for a user name and password. Enter the ones your organisation gave you (kura: in HTTPS_PROXY as http://user:password@host:port, or at the prompt).',
    ja: 'プロキシサーバー {detail} がユーザー名とパスワードを求めています。組織から渡されたものを入力してください（kura では HTTPS_PROXY に http://ユーザー:パスワード@ホスト:ポート として指定するか、確認画面で入力します）。',
  },
  PROXY_AUTH_FAILED: {
    en: 'The proxy server {detail} refused the user name and password. Check them and try again.',
    ja: 'プロキシサーバー {detail} がユーザー名とパスワードを拒否しました。確認してもう一度お試しください。',
  },
  PROXY_UNREACHABLE: {
    en: 'Cannot reach the proxy server {detail}. Check the proxy setting, or ask your administrator.',
    ja: 'プロキシサーバー {detail} に接続できません。プロキシの設定を確認するか、管理者に問い合わせてください。',
  },
  PROXY_SETTING_INVALID: {
    en: '"{detail}" is not a proxy address. Enter it as http://host:port.',
    ja: '「{detail}」はプロキシのアドレスではありません。http://ホスト:ポート の形式で入力してください。',
  },
  NETWORK_WAIT_TIMEOUT: {
    en: 'Still no connection to the server after waiting {detail} seconds. Check your network connection, then run the command again.',
    ja: '{detail} 秒待ってもサーバーに接続できませんでした。ネットワーク接続を確認してから、もう一度コマンドを実行してください。',
  },
} as const satisfies Record<string, { en: string; ja: string }>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;
export type Language = 'en' | 'ja';

/** What crosses the IPC boundary: a code and a detail, never a stack or a secret. */
export interface ErrorView {
  code: ErrorCode;
  /**
   * For WEAK_PASSWORD, PROFILE_INVALID and RELEASE_INVALID a technical text (English, for logs
   * and tests); for
   * the codes whose message names a thing (UNSAFE_NAME, DEST_NOT_FOLDER, OPEN_REFUSED) that
   * thing; for DISK the system's error code. People see it only worded by `errorMessage`.
   */
  detail?: string;
  /** What exactly is wrong, as codes worded in each language (a password rule, a profile field). */
  problems?: Problem[];
  /** TLS_UNTRUSTED: the certificate that was refused. */
  certificate?: CertificateView;
}

/** A server certificate Kura refused: whom it names, who issued it, and why it was refused. */
export interface CertificateView {
  /** The server Kura connected to (host name or address). */
  host: string;
  /** The certificate's subject (its CN, else its O). */
  subject: string;
  issuer: string;
  reason:
    | 'untrustedIssuer'
    | 'selfSigned'
    | 'expired'
    | 'notYetValid'
    | 'wrongHost'
    | 'revoked'
    | 'invalid';
  /** ISO 8601. */
  validTo?: string;
  /** SHA-256 fingerprint, for an administrator to compare. */
  fingerprint?: string;
}

/** Why a certificate was refused, worded for people. */
export const CERTIFICATE_REASONS: Record<CertificateView['reason'], Words> = {
  untrustedIssuer: {
    en: 'its issuer is not a certificate authority this computer trusts',
    ja: '発行者がこのコンピューターで信頼されている認証局ではありません',
  },
  selfSigned: { en: 'it is self-signed', ja: '自己署名の証明書です' },
  expired: { en: 'it has expired', ja: '有効期限が切れています' },
  notYetValid: {
    en: "it is not valid yet (check this computer's clock)",
    ja: 'まだ有効になっていません（このコンピューターの時計を確認してください）',
  },
  wrongHost: {
    en: 'it was issued for another server name',
    ja: '別のサーバー名に対して発行されています',
  },
  revoked: { en: 'it has been revoked', ja: '失効しています' },
  invalid: { en: 'it is not valid', ja: '正しくありません' },
};

function certificateWords(c: CertificateView, lang: Language): string {
  const reason = CERTIFICATE_REASONS[c.reason][lang];
  if (lang === 'ja')
    return `${c.host}（「${c.subject || '名前なし'}」、発行者「${c.issuer || '不明'}」）: ${reason}`;
  return `${c.host} (“${c.subject || 'no name'}”, issued by “${c.issuer || 'unknown'}”): ${reason}`;
}

/**
 * One thing wrong: a password rule broken, a profile field (or the stack it is made from) and
 * what is wrong with it, or what keeps a release folder from being published.
 */
export interface Problem {
  /**
   * What it is about: a profile field's path ("region", "endpoints.s3", "buckets.0"), a stack or
   * its output, a release's file or folder.
   */
  field?: string;
  problem: string;
  /** The original English wording, used in English when Kura has no words of its own for it. */
  message?: string;
}

type Words = { en: string; ja: string };

/** Password rules as Cognito states them (InvalidPasswordException), worded for people. */
export const PASSWORD_PROBLEMS: Record<string, Words> = {
  length: { en: 'it is too short', ja: '短すぎます' },
  lowercase: { en: 'it needs a lowercase letter', ja: '小文字を含めてください' },
  uppercase: { en: 'it needs an uppercase letter', ja: '大文字を含めてください' },
  numeric: { en: 'it needs a digit', ja: '数字を含めてください' },
  symbol: { en: 'it needs a symbol such as ! or -', ja: '記号（! や - など）を含めてください' },
  spaces: {
    en: 'it must not begin or end with a space',
    ja: '先頭と末尾に空白を入れないでください',
  },
  reused: { en: 'it was used before', ja: '以前に使ったパスワードです' },
  compromised: {
    en: 'it is known from a data breach',
    ja: '漏えいしたことが知られているパスワードです',
  },
  policy: {
    en: "it does not meet your organisation's password policy",
    ja: '組織のパスワードポリシーを満たしていません',
  },
};

/** Reads Cognito's password-policy message into rule codes (each it names; "policy" if none). */
export function passwordProblems(message: string): Problem[] {
  const rules: [string, RegExp][] = [
    ['length', /not long enough|too short|minimum length/i],
    ['lowercase', /lowercase/i],
    ['uppercase', /uppercase/i],
    ['numeric', /numeric|number|digit/i],
    ['symbol', /symbol|special character/i],
    ['spaces', /regular expression|pattern|whitespace|leading|trailing/i],
    ['reused', /previously been used|reuse|history/i],
    ['compromised', /security reasons|compromised|breach/i],
  ];
  const found = rules.filter(([, re]) => re.test(message)).map(([problem]) => ({ problem }));
  return found.length ? found : [{ problem: 'policy' }];
}

/** What a profile field must hold, by the field's name (the last named segment of its path). */
const PROFILE_FIELD_HINTS: Record<string, Words> = {
  version: { en: 'must be 1', ja: '1 を指定してください' },
  name: {
    en: 'must be a name of 1 to 100 characters',
    ja: '1〜100 文字の名前を指定してください',
  },
  region: {
    en: 'must be an AWS region such as ap-northeast-1',
    ja: 'ap-northeast-1 のような AWS リージョンを指定してください',
  },
  userPoolId: {
    en: 'must look like ap-northeast-1_AbCdEf123',
    ja: 'ap-northeast-1_AbCdEf123 のような形式にしてください',
  },
  userPoolClientId: {
    en: 'must be the app client id (lowercase letters and digits)',
    ja: 'アプリクライアント ID（英小文字と数字）を指定してください',
  },
  identityPoolId: {
    en: 'must look like ap-northeast-1:1234abcd-…',
    ja: 'ap-northeast-1:1234abcd-… のような形式にしてください',
  },
  buckets: { en: 'must be S3 bucket names', ja: 'S3 のバケット名を指定してください' },
  cognitoIdp: { en: 'must be an http(s) URL', ja: 'http(s) の URL を指定してください' },
  cognitoIdentity: { en: 'must be an http(s) URL', ja: 'http(s) の URL を指定してください' },
  s3: { en: 'must be an http(s) URL', ja: 'http(s) の URL を指定してください' },
  domain: {
    en: 'must be the user pool domain, such as https://acme.auth.ap-northeast-1.amazoncognito.com',
    ja: 'https://acme.auth.ap-northeast-1.amazoncognito.com のようなユーザープールのドメインを指定してください',
  },
  identityProvider: {
    en: 'must be the name of an identity provider of the user pool',
    ja: 'ユーザープールの ID プロバイダー名を指定してください',
  },
  idpIdentifier: {
    en: 'must be an identifier of an identity provider, such as example.com',
    ja: 'example.com のような ID プロバイダーの識別子を指定してください',
  },
  label: {
    en: 'must be a label of 1 to 100 characters without control characters',
    ja: '制御文字を含まない 1〜100 文字のラベルを指定してください',
  },
  scopes: {
    en: 'must be OAuth scopes, openid among them',
    ja: 'openid を含む OAuth スコープを指定してください',
  },
  redirectPorts: {
    en: 'must be port numbers from 1024 to 65535',
    ja: '1024〜65535 のポート番号を指定してください',
  },
  providers: {
    en: 'must list 1 to 10 buttons, each naming a provider at most once',
    ja: '1〜10 個のボタンを指定し、それぞれプロバイダーは 1 つまでにしてください',
  },
  caBundle: {
    en: 'must be PEM certificates (-----BEGIN CERTIFICATE-----), at most 256 KiB',
    ja: 'PEM 形式の証明書（-----BEGIN CERTIFICATE-----）を 256 KiB 以内で指定してください',
  },
};

/** How each kind of profile problem reads; `{field}` is the field's path. */
const PROFILE_PROBLEMS: Record<string, Words> = {
  json: {
    en: 'the text is not JSON (check that the whole file was copied)',
    ja: 'JSON 形式ではありません（ファイル全体をコピーしたか確認してください）',
  },
  missing: { en: '{field} is missing', ja: '{field} がありません' },
  type: {
    en: '{field} holds the wrong kind of value',
    ja: '{field} の値の種類が正しくありません',
  },
  unknownField: { en: 'unknown field {field}', ja: '不明な項目 {field} があります' },
  otherRegion: {
    en: "{field} must be in the profile's region",
    ja: '{field} はプロファイルと同じリージョンのものにしてください',
  },
  empty: { en: '{field} must not be empty', ja: '{field} を空にしないでください' },
  tooLong: { en: '{field} is too long', ja: '{field} が長すぎます' },
  format: { en: '{field} is not in the expected form', ja: '{field} の形式が正しくありません' },
  insecureUrl: {
    en: '{field} must be https:// (plain http:// only for 127.0.0.1, localhost or [::1])',
    ja: '{field} は https:// にしてください（http:// は 127.0.0.1、localhost、[::1] のときだけ使えます）',
  },
  notFound: {
    en: '{field} names a user pool or app client that does not exist',
    ja: '{field} が指すユーザープールまたはアプリクライアントが存在しません',
  },
  // `kura admin profile --stack`: the stack the profile is made from.
  stackNotFound: { en: 'the stack {field} was not found', ja: 'スタック {field} が見つかりません' },
  stackNotDeployed: {
    en: 'the stack {field} is not deployed',
    ja: 'スタック {field} はデプロイが完了していません',
  },
  stackOutputMissing: {
    en: 'the stack has no {field} output (is it a Kura stack?)',
    ja: 'スタックに出力 {field} がありません（Kura のスタックか確認してください）',
  },
  stackScope: {
    en: "the stack's AccessScope {field} is not one Kura knows",
    ja: 'スタックの AccessScope {field} は Kura が扱える値ではありません',
  },
  stackGroupOutput: {
    en: 'the stack\'s output {field} is not "<group> <role ARN>"',
    ja: 'スタックの出力 {field} が「<group> <role ARN>」の形ではありません',
  },
};

/** What keeps a release folder from being published (`kura admin publish-release`). */
const RELEASE_PROBLEMS: Record<string, Words> = {
  noDir: {
    en: 'admin publish-release needs DIR, the folder electron-builder wrote',
    ja: 'admin publish-release には DIR（electron-builder が書き出したフォルダー）を指定してください',
  },
  noTarget: {
    en: 'say where with --to s3://bucket/prefix/, or add "updates" to the connection profile',
    ja: '公開先を --to s3://bucket/prefix/ で指定するか、接続プロファイルに "updates" を加えてください',
  },
  notS3Folder: {
    en: '{field} is not an S3 folder such as s3://acme-files/kura-releases/',
    ja: '{field} は s3://acme-files/kura-releases/ のような S3 のフォルダーではありません',
  },
  notFolder: { en: '{field} is not a folder', ja: '{field} はフォルダーではありません' },
  noFeed: {
    en: '{field} has no latest*.yml: give the folder electron-builder wrote (dist/)',
    ja: '{field} に latest*.yml がありません。electron-builder が書き出したフォルダー（dist/）を指定してください',
  },
  feedEmpty: {
    en: '{field} names no version or no files',
    ja: '{field} にバージョンまたはファイルが書かれていません',
  },
  unsafeFile: {
    en: 'the update feed names a file Kura will not fetch: {field}',
    ja: '更新フィードに Kura が取得しないファイル名があります: {field}',
  },
  fileMissing: {
    en: 'latest*.yml names {field}, which is not in the folder',
    ja: 'latest*.yml に書かれた {field} がフォルダーにありません',
  },
  sizeDiffers: {
    en: '{field} is not the size latest*.yml states (rebuilt since?)',
    ja: '{field} の大きさが latest*.yml の記載と違います（その後ビルドし直しましたか？）',
  },
  checksumDiffers: {
    en: '{field} does not have the SHA-512 latest*.yml states (rebuilt since?)',
    ja: '{field} の SHA-512 が latest*.yml の記載と違います（その後ビルドし直しましたか？）',
  },
  versionsDiffer: {
    en: 'the latest*.yml files name different versions: {field}',
    ja: 'latest*.yml ごとにバージョンが違います: {field}',
  },
};

function profileProblem(p: Problem, lang: Language): string {
  const field = p.field ?? '';
  if (p.problem === 'format') {
    const name = field
      .split('.')
      .reverse()
      .find((s) => !/^\d+$/.test(s));
    const hint = name !== undefined ? PROFILE_FIELD_HINTS[name] : undefined;
    if (hint) return lang === 'ja' ? `${field}: ${hint.ja}` : `${field} ${hint.en}`;
    if (lang === 'en' && p.message) return `${field} ${p.message}`;
  }
  const words = PROFILE_PROBLEMS[p.problem] ?? PROFILE_PROBLEMS.format!;
  return words[lang].replace('{field}', field);
}

/** The system's file errors (errno codes), worded for people. */
const DISK_REASONS: Record<string, Words> = {
  ENOSPC: { en: 'the disk is full', ja: 'ディスクの空きがありません' },
  EDQUOT: { en: 'your disk quota is used up', ja: 'ディスクの割り当てを使い切りました' },
  EACCES: {
    en: 'Kura may not write to this folder',
    ja: 'このフォルダーに書き込む権限がありません',
  },
  EPERM: {
    en: 'Kura may not write to this folder',
    ja: 'このフォルダーに書き込む権限がありません',
  },
  EROFS: { en: 'the disk is read-only', ja: 'ディスクが読み取り専用です' },
  ENOENT: { en: 'the folder no longer exists', ja: 'フォルダーがもう存在しません' },
  ENAMETOOLONG: {
    en: 'the name is too long for this disk',
    ja: '名前がこのディスクには長すぎます',
  },
  EMFILE: { en: 'too many files are open', ja: '開いているファイルが多すぎます' },
  ENFILE: { en: 'too many files are open', ja: '開いているファイルが多すぎます' },
  EIO: { en: 'the disk reported an error', ja: 'ディスクがエラーを報告しました' },
};
const DISK_OTHER: Words = {
  en: 'the system refused the write',
  ja: 'システムが書き込みを拒否しました',
};

const list = (items: string[], lang: Language) => items.join(lang === 'ja' ? '、' : '; ');

/** The words that replace `{detail}` in a code's message. */
function detailWords(e: ErrorView, lang: Language): string {
  switch (e.code) {
    case 'WEAK_PASSWORD':
      return list(
        (e.problems ?? [{ problem: 'policy' }]).map(
          (p) => (PASSWORD_PROBLEMS[p.problem] ?? PASSWORD_PROBLEMS.policy!)[lang],
        ),
        lang,
      );
    case 'PROFILE_INVALID':
      return list(
        (e.problems ?? [{ problem: 'format', field: '(profile)' }]).map((p) =>
          profileProblem(p, lang),
        ),
        lang,
      );
    case 'RELEASE_INVALID':
      return list(
        (e.problems ?? []).map((p) => {
          const words = RELEASE_PROBLEMS[p.problem];
          return words ? words[lang].replace('{field}', p.field ?? '') : (p.field ?? p.problem);
        }),
        lang,
      );
    case 'DISK':
      return (DISK_REASONS[e.detail ?? ''] ?? DISK_OTHER)[lang];
    case 'TLS_UNTRUSTED':
      return e.certificate ? certificateWords(e.certificate, lang) : (e.detail ?? '');
    default:
      return e.detail ?? '';
  }
}

export function errorMessage(e: ErrorView, lang: Language): string {
  const template: string = (ERROR_MESSAGES[e.code] ?? ERROR_MESSAGES.UNKNOWN)[lang];
  return template.includes('{detail}')
    ? template.replace('{detail}', detailWords(e, lang))
    : template;
}

/** Why a key's name cannot be saved (UNSAFE_NAME's problems; `field`: the part at fault). */
export const UNSAFE_NAME_PROBLEMS: Record<string, Words> = {
  folderMarker: {
    en: 'a folder marker with content (not a file name)',
    ja: '内容のあるフォルダーの目印です（ファイル名ではありません）',
  },
  emptyName: { en: 'the name is empty', ja: '名前が空です' },
  leavesFolder: {
    en: '"{field}" in the name would leave the destination folder',
    ja: '名前に「{field}」があり、保存先フォルダーの外を指します',
  },
};

/**
 * Why one item of a folder download was left out, in a few words (a folder row's file list, the
 * CLI's "skipped" line): an unsafe name's problem, else the error's own message.
 */
export function skippedWords(reason: ErrorView, lang: Language): string {
  const p = reason.code === 'UNSAFE_NAME' ? reason.problems?.[0] : undefined;
  const words = p && UNSAFE_NAME_PROBLEMS[p.problem];
  if (words) return words[lang].replace('{field}', p.field ?? '');
  return errorMessage(reason, lang);
}

/** The profile problems one by one, for a screen that lists them. */
export function problemLines(e: ErrorView, lang: Language): string[] {
  if (e.code !== 'PROFILE_INVALID' || !e.problems?.length) return [];
  return e.problems.map((p) => profileProblem(p, lang));
}
