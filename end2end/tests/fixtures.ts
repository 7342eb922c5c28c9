import { test as base, expect, Page } from '@playwright/test';
import { createHmac } from 'node:crypto';

export const PASSWORD = 'careport-demo';

// Fails a test on any uncaught page error or console error, and on the warning
// the islands loader prints when an island's code is missing from the bundle.
// The browser's own note about a refused request (a 401 for a wrong password,
// say) is expected.
export const test = base.extend({
  page: async ({ page }, use) => {
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
    expect(errors, 'errors in the page').toEqual([]);
  },
});
export { expect };

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

export async function navLabels(page: Page) {
  return page.locator('nav.mainnav a').allTextContents();
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
