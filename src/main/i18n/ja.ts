/** The main process's own words in Japanese: every key of en.ts, checked by `Words`. */
import type { Words } from './en';

export const ja = {
  menu: {
    file: 'ファイル',
    edit: '編集',
    view: '表示',
    window: 'ウインドウ',
    help: 'ヘルプ',
    docs: 'Kura (GitHub)',
    roles: {
      about: 'Kura について',
      services: 'サービス',
      hide: 'Kura を非表示',
      hideOthers: 'ほかを非表示',
      unhide: 'すべてを表示',
      quit: 'Kura を終了',
      close: 'ウインドウを閉じる',
      undo: '取り消す',
      redo: 'やり直す',
      cut: '切り取り',
      copy: 'コピー',
      paste: '貼り付け',
      selectAll: 'すべてを選択',
      resetZoom: '実際のサイズ',
      zoomIn: '拡大',
      zoomOut: '縮小',
      togglefullscreen: 'フルスクリーン表示を切り替える',
      minimize: '最小化',
      zoom: 'ズーム',
      front: 'すべてを手前に移動',
    },
  },
  quit: {
    message: 'ダウンロードがまだ実行中です。',
    detail:
      '終了しますか？完了していないダウンロードはいったん停止し、次に Kura を開いたときに続きから再開します。',
    quit: '終了',
    cancel: 'ダウンロードを続ける',
  },
  notice: {
    done: 'ダウンロードが完了しました',
    failed: 'ダウンロードに失敗しました',
  },
  startupFailed: {
    title: 'Kura を起動できませんでした',
    body: (detail) =>
      `Kura の起動中に問題が発生しました: ${detail}\n\nもう一度 Kura を開いてください。繰り返し起きる場合は、このメッセージを管理者に伝えてください。`,
  },
  debugSwitch: (flag) =>
    `Kura は --${flag} 付きでは起動しません。ほかのプログラムから操作できるようになるためです。`,
  keychain: {
    unavailable: 'このコンピューターでキーチェーンのサービスが動いていません',
    locked: 'キーチェーンがロックされているか、アクセスが拒否されました',
    failed: 'キーチェーンがテスト用の項目を保存できませんでした',
  },
  browserPage: {
    signedIn: 'Kura にサインインしました。このタブを閉じて Kura に戻ってください。',
    failed: 'サインインは完了しませんでした。Kura に戻ってもう一度お試しください。',
    signedOut: 'このブラウザーで組織からサインアウトしました。このタブを閉じてかまいません。',
    notStarted: 'このサインインは Kura が始めたものではないため、サインインしていません。',
  },
  cli: {
    usage: `使い方: kura [--profile ファイル] <コマンド>
  login [--username U] [--password-stdin]   サインインします（必要なときは新しいパスワードや MFA コードを尋ねます）
  login --sso [--provider 名前] [--no-browser]   組織のアカウントでブラウザーからサインインします
                                            （--no-browser: 開く URL を表示するだけにします）
  mfa [status | setup | remove]             認証アプリ（2 段階認証）
  whoami [--json]                           サインインしているユーザー
  locations [--json]                        開ける場所（ホーム、グループのフォルダーなど）
  ls [s3://bucket/prefix/] [--recursive] [--json]   （URI なし: 開ける場所）
  get s3://bucket/key [保存先]              ファイルを 1 つダウンロードします（保存先: フォルダーか新しいファイル名）
  get --recursive s3://bucket/prefix/ 保存先フォルダー   （保存先フォルダーがなければ作ります）
                                            中断したときは同じコマンドで続きから再開します。
                                            --discard を付けると、残したものを削除します
  history [--json | --csv] [--limit N]      検証済みのダウンロード（新しい順）
  logout [--everywhere]                     サインアウトします（everywhere: すべてのデバイス）
  --version                                 Kura のバージョンと、ダウンロードの CRC64NVME を検証する実装
ネットワーク（どのコマンドでも）:
  --proxy URL                               このプロキシを使います（既定: HTTPS_PROXY / HTTP_PROXY / NO_PROXY）
  --proxy-pac ファイル|URL                  この PAC ファイルで URL ごとにプロキシを選びます
  --wait-network 秒数                       サーバーに接続できないとき、最大で指定の秒数まで待ってから
                                            （間隔を空けて再試行します）失敗します
管理者（自分の AWS 認証情報を通常の方法で使います）:
  admin create-user メール [--temporary-password] [--invite]
                                            （--temporary-password: 尋ねるか標準入力から読みます）
  admin list-users [--json]
  admin disable-user メール | admin enable-user メール
  admin reset-password メール [--temporary-password]
  admin sign-out メール                     そのユーザーをすべてのデバイスからサインアウトします
  admin create-group 名前 [--role-arn ARN] [--precedence N] [--description 説明]
  admin list-groups [--json]
  admin add-to-group メール グループ | admin remove-from-group メール グループ
  admin profile --stack 名前 [--region R] [--out ファイル]   スタックから接続プロファイルを作ります
  admin publish-release フォルダー [--to s3://bucket/prefix/]
                                            electron-builder の出力（インストーラーと latest*.yml）を
                                            プロファイルの「updates」フォルダーにアップロードします`,
    usageErrors: {
      unknownCommand: (command) => `不明なコマンドです: ${command}`,
      stdinEnded: 'すべての回答を読む前に標準入力が終わりました',
      passwordsDiffer: '2 つのパスワードが一致しません',
      waitNetwork: '--wait-network には 1 以上の整数（秒数）を指定してください',
      notS3Uri: (uri) => `s3:// の URI ではありません: ${uri}`,
      ssoWithPassword:
        'login --sso はブラウザーでサインインします。--username やパスワードは指定できません',
      ssoOptionsAlone: '--provider と --no-browser は login --sso と一緒に使います',
      passwordStdinTerminal:
        '--password-stdin はパイプから読みます。端末ではパスワードが表示されてしまうため、指定しないでください（kura が表示せずに尋ねます）',
      noSuchProvider: (provider, offered) =>
        `「${provider}」という名前のサインイン方法はありません。このプロファイルで使えるもの: ${offered}`,
      unknownMfaCommand: (action) => `不明な mfa コマンドです: ${action}`,
      getNeedsUri: 'get には s3:// の URI を指定してください',
      getNeedsFolder: 'get --recursive には保存先フォルダーを指定してください',
      notAFolder: (dest) => `フォルダーではありません: ${dest}`,
      isAFolder: 'これはフォルダーです。get --recursive を使ってください',
      noSuchFolder: (folder) => `フォルダーがありません: ${folder}`,
      engineNotJson: 'KURA_ENGINE が JSON ではありません',
      limit: '--limit には正の整数を指定してください',
      adminOneEmail: (sub) =>
        `admin ${sub} に指定できるメールアドレスは 1 つです。--temporary-password はパスワードを尋ねます（または標準入力から読みます）`,
      adminStack: 'admin profile には --stack 名前 を指定してください',
      adminEmail: (sub) => `admin ${sub} にはメールアドレスを指定してください`,
      adminGroupName: 'admin create-group には名前を指定してください',
      precedence: '--precedence には 0 以上の整数を指定してください',
      adminEmailAndGroup: (sub) => `admin ${sub} にはメールアドレスとグループを指定してください`,
      unknownAdminCommand: (sub) => `不明な admin コマンドです: ${sub}`,
      noAdminCommand: 'admin コマンドを指定してください',
      emptyTemporaryPassword: '一時パスワードが空です',
    },
    prompt: {
      email: 'メールアドレス: ',
      password: 'パスワード: ',
      newPassword: '新しいパスワード: ',
      repeatNewPassword: '新しいパスワード（確認）: ',
      smsCode: (destination) => `${destination} に送信したコード: `,
      smsCodeNoDestination: '携帯電話に送信したコード: ',
      totpCode: '認証アプリのコード: ',
      temporaryPassword: '一時パスワード: ',
      repeatTemporaryPassword: '一時パスワード（確認）: ',
      proxyUser: 'プロキシのユーザー名: ',
      proxyPassword: 'プロキシのパスワード: ',
    },
    login: {
      newPasswordRequired:
        '新しいパスワードが必要です（8 文字以上で、大文字、小文字、数字、記号を含めてください）。',
      mfaSetupRequired: '組織で 2 段階認証が必須です。いま認証アプリを設定してください。',
      cancelled: 'kura: サインインを取り消しました',
      signedIn: (email) => `${email} としてサインインしました。`,
      noKeychain: (why) =>
        `キーチェーンを使えません（${why}）。このコマンドが終わるとサインインは保持されません。`,
      openUrl: (url) => `サインインするには、この URL を開いてください: ${url}`,
      openingBrowser: (url) =>
        `サインインのためにブラウザーを開きます。開かない場合は、この URL を開いてください: ${url}`,
      signedOut: 'サインアウトしました。',
    },
    mfa: {
      on: '2 段階認証: オン（認証アプリ）',
      off: '2 段階認証: オフ',
      turnedOn: '2 段階認証をオンにしました。サインインのときに認証アプリのコードを尋ねます。',
      turnedOff: '2 段階認証をオフにしました。認証アプリの登録を削除しました。',
      addToApp:
        '認証アプリに Kura を追加してください。このコードを読み取るか、下のシークレットを入力します。',
      account: 'アカウント',
      secret: 'シークレット',
    },
    proxy: {
      refused: (proxy) => `プロキシ ${proxy} がユーザー名とパスワードを拒否しました。`,
      asks: (proxy) => `プロキシ ${proxy} がユーザー名とパスワードを求めています。`,
      asksRealm: (proxy, realm) =>
        `プロキシ ${proxy}（${realm}）がユーザー名とパスワードを求めています。`,
      waiting: (seconds) =>
        `kura: サーバーに接続できません。ネットワークの復旧を待っています（最大 ${seconds} 秒）…`,
    },
    get: {
      discarded: (uri) => `kura: ${uri} の中断したダウンロードと、残していたものを削除しました`,
      nothingToDiscard: (uri) => `kura: ${uri} の中断したダウンロードはありません`,
      resuming: (uri, kept) =>
        `kura: ${uri} の中断したダウンロードを再開します（${kept} はダウンロード済み）`,
      restarting: (uri) => `kura: ${uri} の中断したダウンロードを最初からやり直します`,
      partialFiles: (count) => `.kura-….partial という名前の ${count} 個のファイル`,
      keptIn: (bytes, where) =>
        `${bytes} を ${where} に残しました。同じコマンドをもう一度実行すると再開し、--discard を付けると削除します`,
      keptInFolder: (bytes, where, folder) =>
        `${bytes} を ${folder} の ${where} に残しました。同じコマンドをもう一度実行すると再開し、--discard を付けると削除します`,
      stopped: 'kura: 停止しました',
      stoppedKept: (kept) => `kura: 停止しました。${kept}`,
      skipped: (key, why) => `kura: ${key} をスキップしました: ${why}`,
      folderDone: (files, bytes, path) => `${files} 個のファイル、${bytes} → ${path}`,
    },
    admin: {
      wroteProfile: (file) =>
        `${file} に書き出しました。ユーザーに渡してください（秘密情報は含まれていません）。`,
      invited: (email) =>
        `${email} を作成しました。一時パスワードを記載した招待メールを送信しました。`,
      created: (email, status) =>
        `${email} を作成しました（${status}）。最初のサインインで新しいパスワードを設定する必要があります。`,
      groupWithRole: (name, role) =>
        `グループ ${name} を作成しました。メンバーにはロール ${role} が与えられます。`,
      groupWithoutRole: (name) =>
        `グループ ${name} を作成しました（ロールなし: どのフォルダーへのアクセスも与えません）。`,
      added: (email, group) =>
        `${email} を ${group} に追加しました。ID トークンが更新されると（1 時間以内）反映されます。`,
      removed: (email, group) =>
        `${email} を ${group} から削除しました。ID トークンと AWS 認証情報が更新されると（それぞれ最長 1 時間）反映されます。`,
      uploading: (name) => `${name} をアップロードしています`,
      published: (version, where, files) =>
        `Kura ${version} を ${where} に公開しました（${files} 個のファイル）。`,
    },
  },
} satisfies Words;
