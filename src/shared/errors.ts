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
    en: 'The new password does not meet the policy: {detail}',
    ja: '新しいパスワードがポリシーを満たしていません: {detail}',
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
    en: 'The file could not be written: {detail}. Check free space and folder permissions.',
    ja: 'ファイルを書き込めませんでした: {detail}。空き容量とフォルダーの権限を確認してください。',
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
    en: 'The request was not valid: {detail}',
    ja: '要求が正しくありません: {detail}',
  },
  TOO_MANY_ATTEMPTS: {
    en: 'Too many wrong codes. Request a new code, then try again.',
    ja: 'コードの誤りが多すぎます。新しいコードを請求してから、もう一度お試しください。',
  },
  UNKNOWN: {
    en: 'Something went wrong: {detail}',
    ja: '問題が発生しました: {detail}',
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
} as const satisfies Record<string, { en: string; ja: string }>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;
export type Language = 'en' | 'ja';

/** What crosses the IPC boundary: a code and a detail, never a stack or a secret. */
export interface ErrorView {
  code: ErrorCode;
  detail?: string;
}

export function errorMessage(e: ErrorView, lang: Language): string {
  const template: string = ERROR_MESSAGES[e.code][lang];
  return template.replace('{detail}', e.detail ?? '');
}
