/** Words of the organisation sign-in, the authenticator setup and the account menu (i18n keys). */
import i18next from '../i18n'; // initialised first: bundles are added to its store

export const SIGN_IN_STRINGS = {
  en: {
    managedLogin: {
      with: 'Sign in with {{label}}',
      or: 'or',
      waiting:
        'Continue signing in with {{label}} in your web browser. Kura comes back here when you are done.',
      cancel: 'Cancel',
    },
    mfaSetup: {
      title: 'Set up two-step verification',
      intro:
        'Your organisation asks for a code from an authenticator app at each sign-in. Add Kura to your app (Google Authenticator, Microsoft Authenticator, 1Password …): scan the QR code, or type in the secret.',
      qr: 'QR code for your authenticator app',
      secret: 'Secret',
      account: 'Account: {{account}}',
      code: 'Code from the app',
      submit: 'Verify',
      preparing: 'Preparing your authenticator entry…',
    },
    account: {
      menu: 'Account',
      signedInAs: 'Signed in as {{email}}',
      viaOrganisation: 'through your organisation’s sign-in',
      mfa: 'Two-step verification',
      mfaOn: 'On: Kura asks for a code from your authenticator app.',
      mfaOff: 'Off.',
      mfaElsewhere: 'Managed by your organisation’s sign-in.',
      add: 'Add authenticator app',
      remove: 'Remove authenticator app',
      added: 'Two-step verification is on.',
      removed: 'The authenticator app is removed.',
      cancelAdd: 'Cancel',
      signOut: 'Sign out',
      signOutEverywhere: 'Sign out everywhere',
      alsoBrowser: 'Also sign out of your organisation in the browser',
    },
  },
  ja: {
    managedLogin: {
      with: '{{label}} でサインイン',
      or: 'または',
      waiting:
        'Web ブラウザーで {{label}} へのサインインを続けてください。終わると Kura に戻ります。',
      cancel: 'キャンセル',
    },
    mfaSetup: {
      title: '2 段階認証の設定',
      intro:
        '組織はサインインのたびに認証アプリのコードを求めます。認証アプリ（Google Authenticator、Microsoft Authenticator、1Password など）に Kura を追加してください。QR コードを読み取るか、シークレットを入力します。',
      qr: '認証アプリ用の QR コード',
      secret: 'シークレット',
      account: 'アカウント: {{account}}',
      code: 'アプリのコード',
      submit: '確認',
      preparing: '認証アプリ用の情報を準備しています…',
    },
    account: {
      menu: 'アカウント',
      signedInAs: '{{email}} でサインイン中',
      viaOrganisation: '組織のサインインを使用',
      mfa: '2 段階認証',
      mfaOn: 'オン: サインイン時に認証アプリのコードを求めます。',
      mfaOff: 'オフ。',
      mfaElsewhere: '組織のサインインで管理されています。',
      add: '認証アプリを追加',
      remove: '認証アプリを削除',
      added: '2 段階認証をオンにしました。',
      removed: '認証アプリを削除しました。',
      cancelAdd: 'キャンセル',
      signOut: 'サインアウト',
      signOutEverywhere: 'すべての場所でサインアウト',
      alsoBrowser: 'ブラウザーでも組織からサインアウトする',
    },
  },
} as const;

for (const lang of ['en', 'ja'] as const) {
  i18next.addResourceBundle(lang, 'translation', SIGN_IN_STRINGS[lang], true, false);
}
