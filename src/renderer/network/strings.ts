/** The network UI's words (i18n keys under `network`), added to the app's translations. */
import i18next from '../i18n'; // initialised first: bundles are added to its store

export const NETWORK_STRINGS = {
  en: {
    offline:
      'No connection to the server. Downloads wait and go on by themselves when the network is back; nothing is lost.',
    offlineSince: 'Offline since {{time}}',
    statusOnline: 'Online',
    statusOffline: 'Offline — waiting for the network',
    clockAhead:
      "This computer's clock is {{minutes}} minutes behind the servers'. Kura corrects for it, but set the clock right (Date & time settings).",
    clockBehind:
      "This computer's clock is {{minutes}} minutes ahead of the servers'. Kura corrects for it, but set the clock right (Date & time settings).",
    transferWaiting: 'Waiting for the network — goes on by itself when the server answers',
    badgeWaiting: 'Waiting for the network',
    proxyTitle: 'Proxy sign-in',
    proxyAsks: 'The proxy server {{proxy}} asks for a user name and password.',
    proxyRealm: 'It says: “{{realm}}”',
    proxyRetry: 'The proxy refused the user name and password. Check them and try again.',
    proxyKept: 'Kura keeps them in this computer’s keychain and does not ask again.',
    proxyUser: 'User name',
    proxyPassword: 'Password',
    proxySend: 'Sign in to the proxy',
    proxyCancel: 'Cancel',
    settings: 'Network',
    proxy: 'Proxy',
    modeSystem: 'Use this computer’s proxy settings',
    modeDirect: 'No proxy',
    modeManual: 'Use this proxy:',
    proxyUrl: 'Proxy address (http://host:port)',
    bypass: 'Connect directly to (comma-separated hosts)',
    save: 'Apply',
    saved: 'Proxy setting applied.',
    sourceEnvironment:
      'HTTPS_PROXY / HTTP_PROXY in Kura’s environment decide the proxy (they override this computer’s settings).',
    sourcePac: 'A PAC file decides the proxy.',
  },
  ja: {
    offline:
      'サーバーに接続できません。ダウンロードは待機し、ネットワークが戻ると自動的に再開します。失われるものはありません。',
    offlineSince: '{{time}} からオフライン',
    statusOnline: 'オンライン',
    statusOffline: 'オフライン — ネットワークの復旧を待っています',
    clockAhead:
      'このコンピューターの時計はサーバーより {{minutes}} 分遅れています。Kura は補正しますが、時計を正しく設定してください（日付と時刻の設定）。',
    clockBehind:
      'このコンピューターの時計はサーバーより {{minutes}} 分進んでいます。Kura は補正しますが、時計を正しく設定してください（日付と時刻の設定）。',
    transferWaiting: 'ネットワークの復旧を待っています — サーバーが応答すると自動的に再開します',
    badgeWaiting: 'ネットワークの復旧待ち',
    proxyTitle: 'プロキシへのサインイン',
    proxyAsks: 'プロキシサーバー {{proxy}} がユーザー名とパスワードを求めています。',
    proxyRealm: 'プロキシからのメッセージ: 「{{realm}}」',
    proxyRetry: 'プロキシがユーザー名とパスワードを拒否しました。確認してもう一度お試しください。',
    proxyKept: 'Kura はこれをこのコンピューターのキーチェーンに保存し、次回からは尋ねません。',
    proxyUser: 'ユーザー名',
    proxyPassword: 'パスワード',
    proxySend: 'プロキシにサインイン',
    proxyCancel: 'キャンセル',
    settings: 'ネットワーク',
    proxy: 'プロキシ',
    modeSystem: 'このコンピューターのプロキシ設定を使う',
    modeDirect: 'プロキシを使わない',
    modeManual: '次のプロキシを使う:',
    proxyUrl: 'プロキシのアドレス（http://ホスト:ポート）',
    bypass: '直接接続するホスト（カンマ区切り）',
    save: '適用',
    saved: 'プロキシの設定を適用しました。',
    sourceEnvironment:
      'Kura の環境変数 HTTPS_PROXY / HTTP_PROXY がプロキシを決めています（このコンピューターの設定より優先されます）。',
    sourcePac: 'PAC ファイルがプロキシを決めています。',
  },
} as const;

for (const lang of ['en', 'ja'] as const) {
  i18next.addResourceBundle(lang, 'translation', { network: NETWORK_STRINGS[lang] }, true, false);
}
