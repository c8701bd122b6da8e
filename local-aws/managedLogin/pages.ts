/**
 * The plain pages of local-aws's managed login and test identity provider: a form with labelled
 * fields, an error in words, nothing else (no script). Every value is escaped.
 */
import type { ServerResponse } from 'node:http';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Hidden inputs that carry the authorization request through a form. */
export function hiddenFields(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v!)}">`)
    .join('\n      ');
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2430;margin:0}
main{max-width:360px;margin:48px auto;background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:24px}
h1{font-size:1.3rem;margin:0 0 16px}label{display:block;margin:12px 0 4px}
input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:8px;font-size:1rem}
button,.button{display:block;width:100%;margin-top:16px;padding:10px;font-size:1rem;text-align:center;box-sizing:border-box}
.error{color:#b3261e}.or{margin:20px 0 0;color:#5c6675;text-align:center}p.small{color:#5c6675;font-size:.9rem}`;

export function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body></html>
`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    // No script at all; styles inline; nothing framed. (form-action stays open: a sign-in form
    // posts here and is then redirected to the app's loopback address.)
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  res.end(html);
}

/** An error the browser shows (a request that must not be redirected anywhere). */
export function sendErrorPage(res: ServerResponse, status: number, error: string, words: string) {
  sendPage(
    res,
    status,
    'Sign-in error',
    `<h1>Sign-in error</h1>\n<p class="error" role="alert">${escapeHtml(words)}</p>\n<p class="small">error=${escapeHtml(error)}</p>`,
  );
}
