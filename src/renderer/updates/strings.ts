/** The update UI's words (i18n keys under `updates`), added to the app's translations. */
import i18next from '../i18n'; // initialised first: bundles are added to its store

export const UPDATE_STRINGS = {
  en: {
    ready: 'Kura {{version}} is ready.',
    restart: 'Restart to update',
    pending: 'Kura {{version}} is ready. Kura restarts to update when your downloads finish.',
    downloading: 'Downloading Kura {{version}}… {{percent}}%',
    settings: 'Updates',
    checks: 'Check for updates automatically',
    checkNow: 'Check now',
    current: 'This is Kura {{version}}.',
    upToDate: 'Kura is up to date.',
    checking: 'Checking for updates…',
    failed: 'The last check did not work: {{message}} Kura tries again later.',
    unavailable:
      'Updates are not set up for this connection, or this copy of Kura cannot update itself.',
    off: 'Kura does not look for updates. Your administrator publishes new versions to your organisation.',
  },
  ja: {
    ready: 'Kura {{version}} の準備ができました。',
    restart: '再起動して更新',
    pending:
      'Kura {{version}} の準備ができました。実行中のダウンロードが終わると、Kura は再起動して更新します。',
    downloading: 'Kura {{version}} をダウンロード中… {{percent}}%',
    settings: 'アップデート',
    checks: 'アップデートを自動的に確認する',
    checkNow: '今すぐ確認',
    current: 'この Kura のバージョンは {{version}} です。',
    upToDate: 'Kura は最新です。',
    checking: 'アップデートを確認しています…',
    failed: '前回の確認はうまくいきませんでした: {{message}} Kura は後でもう一度確認します。',
    unavailable: 'この接続ではアップデートが設定されていないか、この Kura は自分で更新できません。',
    off: 'Kura はアップデートを確認しません。新しいバージョンは管理者が組織に公開します。',
  },
} as const;

for (const lang of ['en', 'ja'] as const) {
  i18next.addResourceBundle(lang, 'translation', { updates: UPDATE_STRINGS[lang] }, true, false);
}
