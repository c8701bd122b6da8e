/** UI text in Japanese and English; the OS (browser) language decides, the user can switch. */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

const en = {
  appName: 'Kura',
  language: '日本語',
  profile: {
    title: 'Connect to your organisation',
    intro: 'Paste the connection profile your administrator gave you, or choose the file.',
    paste: 'Connection profile (JSON)',
    choose: 'Choose file…',
    import: 'Connect',
  },
  signIn: {
    title: 'Sign in',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    forgot: 'Forgot password?',
    expired: 'Your session ended. Sign in again.',
    restoring: 'Signing you in…',
  },
  newPassword: {
    title: 'Choose a new password',
    intro: 'Your administrator gave you a temporary password. Choose your own to continue.',
    password: 'New password',
    repeat: 'Repeat new password',
    policy: 'At least 8 characters, with upper and lower case letters, a digit and a symbol.',
    mismatch: 'The two passwords differ.',
    submit: 'Set password',
  },
  mfa: {
    title: 'Enter your code',
    totp: 'Enter the 6-digit code from your authenticator app.',
    sms: 'Enter the code sent to {{destination}}.',
    code: 'Code',
    submit: 'Verify',
  },
  forgot: {
    title: 'Reset your password',
    send: 'Send code',
    sent: 'We sent a code to {{destination}}.',
    code: 'Code',
    submit: 'Set new password',
    back: 'Back to sign-in',
    done: 'Password changed. Sign in with the new one.',
  },
  browser: {
    buckets: 'Bucket',
    root: 'Top',
    name: 'Name',
    size: 'Size',
    modified: 'Modified',
    empty: 'This folder is empty.',
    loading: 'Loading…',
    more: 'Load more',
    download: 'Download',
    downloadFolder: 'Download folder',
    signOut: 'Sign out',
    signedInAs: 'Signed in as {{email}}',
    notRemembered: 'No keychain available: you will need to sign in again next time.',
    preparing: 'preparing to drag… {{percent}}%',
    list: 'Folder contents',
    type: 'Type',
    filter: 'Filter this folder',
    noMatch: 'Nothing here matches the filter.',
    partial:
      'Sorted and filtered over the {{count}} entries loaded so far; more load as you scroll.',
  },
  transfers: {
    title: 'Downloads',
    running: 'Downloading',
    done: 'Done',
    failed: 'Failed',
    cancelled: 'Cancelled',
    cancel: 'Cancel',
    files: '{{done}} / {{total}} files',
    skipped: '{{count}} skipped',
  },
};

const ja: typeof en = {
  appName: '蔵 Kura',
  language: 'English',
  profile: {
    title: '組織に接続',
    intro: '管理者から受け取った接続プロファイルを貼り付けるか、ファイルを選んでください。',
    paste: '接続プロファイル (JSON)',
    choose: 'ファイルを選択…',
    import: '接続',
  },
  signIn: {
    title: 'サインイン',
    email: 'メールアドレス',
    password: 'パスワード',
    submit: 'サインイン',
    forgot: 'パスワードを忘れた場合',
    expired: 'セッションが終了しました。もう一度サインインしてください。',
    restoring: 'サインインしています…',
  },
  newPassword: {
    title: '新しいパスワードを設定',
    intro:
      '管理者から仮パスワードが発行されています。続けるには自分のパスワードを設定してください。',
    password: '新しいパスワード',
    repeat: '新しいパスワード（確認）',
    policy: '8文字以上で、大文字・小文字・数字・記号をそれぞれ含めてください。',
    mismatch: '2つのパスワードが一致しません。',
    submit: 'パスワードを設定',
  },
  mfa: {
    title: 'コードを入力',
    totp: '認証アプリに表示される6桁のコードを入力してください。',
    sms: '{{destination}} に送信したコードを入力してください。',
    code: 'コード',
    submit: '確認',
  },
  forgot: {
    title: 'パスワードの再設定',
    send: 'コードを送信',
    sent: '{{destination}} にコードを送信しました。',
    code: 'コード',
    submit: '新しいパスワードを設定',
    back: 'サインインに戻る',
    done: 'パスワードを変更しました。新しいパスワードでサインインしてください。',
  },
  browser: {
    buckets: 'バケット',
    root: 'トップ',
    name: '名前',
    size: 'サイズ',
    modified: '更新日時',
    empty: 'このフォルダーは空です。',
    loading: '読み込み中…',
    more: 'さらに読み込む',
    download: 'ダウンロード',
    downloadFolder: 'フォルダーをダウンロード',
    signOut: 'サインアウト',
    signedInAs: '{{email}} としてサインイン中',
    notRemembered: 'キーチェーンを利用できないため、次回もサインインが必要です。',
    preparing: 'ドラッグの準備中… {{percent}}%',
    list: 'フォルダーの内容',
    type: '種類',
    filter: 'このフォルダーを絞り込む',
    noMatch: '絞り込みに一致するものはありません。',
    partial:
      '読み込み済みの {{count}} 件を並べ替え・絞り込みしています。スクロールすると続きを読み込みます。',
  },
  transfers: {
    title: 'ダウンロード',
    running: 'ダウンロード中',
    done: '完了',
    failed: '失敗',
    cancelled: 'キャンセル済み',
    cancel: 'キャンセル',
    files: '{{done}} / {{total}} ファイル',
    skipped: '{{count}} 件をスキップ',
  },
};

export const initialLanguage = (navigator.language || 'en').toLowerCase().startsWith('ja')
  ? 'ja'
  : 'en';

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, ja: { translation: ja } },
  lng: initialLanguage,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export default i18next;
