import { test as base, expect, Page } from '@playwright/test';

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
