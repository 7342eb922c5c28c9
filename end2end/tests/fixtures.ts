import { test as base, expect, BrowserContext, Page, Response } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createHash, createHmac } from 'node:crypto';

export const PASSWORD = 'careport-demo';

/** The sizes the navigation must fit, and at which every page is checked for accessibility. */
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };
const SIZES = [['desktop', DESKTOP], ['phone', PHONE]] as const;

/** axe-core's rules for WCAG 2.0 and 2.1, levels A and AA: nothing excluded. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Fails a test on any uncaught page error or console error, and on the warning
// the islands loader prints when an island's code is missing from the bundle.
// The browser's own note about a refused request (a 401 for a wrong password,
// say) is expected.
//
// And fails it on any WCAG 2.1 A/AA violation that axe-core finds in a page the
// journey visited: every HTML page that loaded in the journey's browser context
// (the first one, each link followed, each form posted and the page its redirect
// led to, each reload, error pages too) is recorded as the server sent it, and
// checked once the journey has passed, on a desktop and on a phone (see
// `checkPages`). Pages of a context a journey makes itself are not recorded.
// A state that only an island or an open menu shows is checked where a journey
// calls `expectAccessible`.
export const test = base.extend({
  page: async ({ page }, use, testInfo) => {
    const served: Promise<Served | null>[] = [];
    const stopRecording = recordPages(page.context(), served);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
        errors.push(`console: ${m.text()}`);
      }
      if (m.type() === 'warning' && /island/i.test(m.text())) {
        errors.push(`console warning: ${m.text()}`);
      }
    });
    await use(page);
    stopRecording();
    expect(errors, 'errors in the page').toEqual([]);
    // A journey that failed has its report already; its pages are checked once it passes.
    if (testInfo.status !== testInfo.expectedStatus) return;
    const pages = (await Promise.all(served)).filter((p): p is Served => p !== null);
    // Up to two seconds a page and size (a page already checked by this worker costs nothing).
    testInfo.setTimeout(testInfo.timeout + pages.length * SIZES.length * 2_000);
    const problems = await checkPages(page.context(), pages);
    if (problems.length > 0) {
      throw new Error(`axe-core found WCAG 2.1 A/AA violations in pages this journey visited:\n\n${problems.join('\n\n')}`);
    }
  },
});
export { expect };

/** An HTML page as the server sent it (or why its body could not be read). */
type Served = { url: string; status: number; html: string; unread?: string };

/**
 * Records every HTML page that loads in the journey's browser context (its
 * page, and any page that one opens) until the returned function is called.
 * The body is asked for as soon as the response arrives, so it is read before
 * the journey moves on. A redirect is not a page (where it leads is), nor is a
 * download. A page the journey left before it had loaded was never seen and is
 * not recorded; any other body that cannot be read fails the journey, so that no
 * page goes unchecked unnoticed.
 */
function recordPages(context: BrowserContext, into: Promise<Served | null>[]): () => void {
  const onResponse = (res: Response) => {
    const req = res.request();
    if (!req.isNavigationRequest() || req.frame().parentFrame() !== null) return;
    const status = res.status();
    if (status >= 300 && status < 400) return;
    if (!/^text\/html/i.test(res.headers()['content-type'] ?? '')) return;
    into.push(res.text().then(
      (html): Served => ({ url: res.url(), status, html }),
      async (e: Error): Promise<Served | null> => {
        await res.finished().catch(() => null);
        return req.failure() ? null : { url: res.url(), status, html: '', unread: e.message };
      },
    ));
  };
  context.on('response', onResponse);
  return () => context.off('response', onResponse);
}

/** The verdicts per page (without its one-time tokens) and size, shared by the journeys of a worker. */
const verdicts = new Map<string, string[]>();

/**
 * Checks each recorded page with axe-core at both sizes, in a new page of the
 * journey's context that is served the recorded HTML at its own address (so
 * the stylesheet and images load as they did) and runs no script: the page is
 * checked as the server rendered it, and nothing in it can change data. The
 * HTML is the same at every size (the server does not know the screen), so one
 * recording serves both. Returns one readable entry per page, size and rule.
 */
async function checkPages(context: BrowserContext, pages: Served[]): Promise<string[]> {
  const problems = pages
    .filter((p) => p.unread !== undefined)
    .map((p) => `${p.url}: its HTML could not be read to check it (${p.unread})`);
  const todo = pages.filter((p) => p.unread === undefined);
  if (todo.length === 0) return problems;
  const replay = await context.newPage();
  let current: Served | undefined;
  await replay.route('**/*', async (route) => {
    const req = route.request();
    if (req.isNavigationRequest()) {
      if (current && req.url() === current.url) {
        await route.fulfill({ status: current.status, contentType: 'text/html; charset=utf-8', body: current.html });
      } else {
        await route.abort();
      }
    } else if (['script', 'xhr', 'fetch', 'eventsource', 'websocket'].includes(req.resourceType())) {
      await route.abort();
    } else {
      await route.continue();
    }
  });
  try {
    for (const p of todo) {
      const key = createHash('sha256').update(withoutTokens(p.html)).digest('hex');
      const unchecked = SIZES.filter(([size]) => !verdicts.has(`${size} ${key}`));
      if (unchecked.length > 0) {
        current = p;
        await replay.setViewportSize(unchecked[0][1]);
        await replay.goto(p.url, { waitUntil: 'load' });
        for (const [size, viewport] of unchecked) {
          await replay.setViewportSize(viewport);
          verdicts.set(`${size} ${key}`, await violations(replay));
        }
      }
      for (const [size, viewport] of SIZES) {
        for (const v of verdicts.get(`${size} ${key}`) ?? []) {
          problems.push(`${p.url} on a ${size} (${viewport.width} px): ${v}`);
        }
      }
    }
  } finally {
    await replay.close();
  }
  return problems;
}

/** The page without the random keys of its forms (43 base64url characters), which differ on every load. */
function withoutTokens(html: string) {
  return html.replace(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, '~');
}

/** axe-core's WCAG 2.1 A/AA violations in the page as it is now: rule, impact, help, and each element with why. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return results.violations.map((v) => {
    const nodes = v.nodes.slice(0, 10).map((n) => {
      const why = [...n.any, ...n.all, ...n.none][0]?.message;
      return `    ${n.target.join(' ')}${why ? ` — ${why}` : ''}`;
    });
    if (v.nodes.length > 10) nodes.push(`    … and ${v.nodes.length - 10} more`);
    return `${v.id} (${v.impact ?? 'no impact given'}): ${v.help}\n${nodes.join('\n')}`;
  });
}

/**
 * Checks the page as it is now, with what islands or open menus show, and fails
 * the journey on a WCAG 2.1 A/AA violation (the pages as loaded are checked anyway).
 */
export async function expectAccessible(page: Page, what: string) {
  expect(await violations(page), `WCAG 2.1 A/AA violations (axe-core): ${what}`).toEqual([]);
}

/** Waits until the islands of the page are hydrated (a server-rendered page alone is not enough). */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The main navigation as one line per entry: a link's label, or a group's
 * label and its links ("Learning: Courses, My transcript").
 */
export async function navLabels(page: Page) {
  return page.locator('nav.mainnav > a, nav.mainnav > details').evaluateAll((entries) =>
    entries.map((e) => {
      const text = (el: Element | null) => (el?.textContent ?? '').trim();
      if (e.localName !== 'details') return text(e);
      return `${text(e.querySelector('summary'))}: ${Array.from(e.querySelectorAll('a'), text).join(', ')}`;
    }),
  );
}

/** Follows a link of the main navigation, opening its group first (as a person does). */
export async function navTo(page: Page, group: string, label: string) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.locator('summary', { hasText: exactly(group) }).click();
  await nav.getByRole('link', { name: label, exact: true }).click();
}

/** A pattern that matches `text` and nothing longer. */
function exactly(text: string) {
  return new RegExp('^' + text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
}

/** Signs out through the account menu. */
export async function signOut(page: Page) {
  await hydrated(page);
  await page.getByLabel('Account menu').click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

/**
 * The code an authenticator app shows (RFC 6238: HMAC-SHA-1, 6 digits, 30-second
 * steps) for a base32 secret, written here from the RFC so that the test does
 * not share the server's implementation.
 */
export function totp(secretBase32: string, time = Date.now() / 1000): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = secretBase32.replace(/[\s=]/g, '').toUpperCase();
  let bits = '';
  for (const c of clean) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) key.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 30)));
  const h = createHmac('sha1', Buffer.from(key)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}
