/**
 * A browser reduced to what a sign-in page needs — cookies (by host, as browsers keep them:
 * not by port), redirects followed by hand, forms read from the HTML and submitted — for tests
 * of managed login without Chromium (the Playwright specs drive the same pages in Chromium).
 * It stops at the first redirect to a URL `stopAt` accepts (the app's loopback callback).
 */
export interface Page {
  url: string;
  status: number;
  html: string;
}

export class FormBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(public stopAt: (url: URL) => boolean = () => false) {}

  private cookieHeader(url: URL): string {
    const c = this.jar.get(url.hostname);
    return c ? [...c].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  private keep(url: URL, res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const c = this.jar.get(url.hostname) ?? new Map<string, string>();
      if (/max-age=0/i.test(line) || value === '') c.delete(name);
      else c.set(name, value);
      this.jar.set(url.hostname, c);
    }
  }

  /** Requests a URL and follows redirects until a page, or a redirect `stopAt` accepts. */
  async go(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Page & { stoppedAt?: URL }> {
    let target = new URL(url);
    let method = init.method ?? (init.form ? 'POST' : 'GET');
    let body: string | undefined = init.form
      ? new URLSearchParams(init.form).toString()
      : undefined;
    for (let hops = 0; hops < 20; hops++) {
      const res = await fetch(target, {
        method,
        redirect: 'manual',
        headers: {
          cookie: this.cookieHeader(target),
          ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body,
      });
      this.keep(target, res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, target);
        await res.arrayBuffer();
        if (this.stopAt(next))
          return { url: target.toString(), status: res.status, html: '', stoppedAt: next };
        target = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url: target.toString(), status: res.status, html: await res.text() };
    }
    throw new Error('too many redirects');
  }

  /** Fills the page's first form (its hidden fields kept) and submits it. */
  submit(page: Page, fields: Record<string, string>) {
    const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(page.html);
    if (!form) throw new Error(`no form on ${page.url}`);
    const values: Record<string, string> = {};
    for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
      values[unescape(m[1]!)] = unescape(m[2]!);
    return this.go(new URL(unescape(form[1]!), page.url).toString(), {
      form: { ...values, ...fields },
    });
  }

  /** The label texts of a page's inputs (what a person reads next to each field). */
  static labels(html: string): string[] {
    return [...html.matchAll(/<label for="[^"]*">([^<]*)<\/label>/g)].map((m) => m[1]!);
  }

  /** A link's URL by its text. */
  static link(page: Page, text: string): string {
    for (const m of page.html.matchAll(/<a[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g))
      if (unescape(m[2]!) === text) return new URL(unescape(m[1]!), page.url).toString();
    throw new Error(`no link "${text}" on ${page.url}`);
  }
}

function unescape(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
