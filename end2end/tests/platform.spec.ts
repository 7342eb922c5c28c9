import { test, expect, signIn, navTo } from './fixtures';

test('the admin finds a failed sign-in in the audit trail and exports the search', async ({ page }) => {
  // Someone mistypes a password: the trail records it, without the password.
  await signIn(page, 'tech@balticlift.example', 'not-the-password');
  await expect(page.getByRole('alert')).toBeVisible();

  await signIn(page, 'admin@nordlift.example');
  await navTo(page, 'Administration', 'Audit trail');
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
  // Other journeys run alongside and write to the trail too: look for these entries, not the first row.
  await expect(page.locator('#audit-table tbody tr[data-action="sign_in.succeeded"]', { hasText: 'admin@nordlift.example' }).first()).toBeVisible();

  await page.getByLabel('Action').selectOption({ label: 'Sign-in failed' });
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/action=sign_in.failed/);
  const rows = page.locator('#audit-table tbody tr');
  await expect(rows.filter({ hasText: 'tech@balticlift.example' }).filter({ hasText: 'wrong_password' }).first()).toBeVisible();
  for (const action of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')))) {
    expect(action).toBe('sign_in.failed');
  }

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('careport-audit.csv');
  const csv = await (await file.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString('utf8');
  expect(text.split('\n')[0]).toContain('time_utc');
  expect(text).toContain('sign_in.failed');
  expect(text).not.toContain('sign_in.succeeded');
  expect(text).not.toContain('not-the-password');
});

test('an audit search with its end before its start says so and keeps the form', async ({ page }) => {
  await signIn(page, 'admin@nordlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ingrid' })).toBeVisible();
  await page.goto('/audit');
  await page.getByLabel('From').fill('2026-11-10');
  await page.getByLabel('To (inclusive)').fill('2026-11-01');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('alert')).toHaveText('The end date is before the start date.');
  await expect(page.getByLabel('From')).toHaveValue('2026-11-10');
});

test('the admin sees the background jobs; a partner cannot', async ({ page }) => {
  await signIn(page, 'admin@nordlift.example');
  await navTo(page, 'Administration', 'Jobs');
  await expect(page.getByRole('heading', { name: 'Background jobs' })).toBeVisible();
  const prune = page.locator('[data-kind="accounts.prune"]');
  await expect(prune).toContainText('every 10 min');
  await expect(prune).toContainText('Removes expired sessions');

  await page.context().clearCookies();
  await signIn(page, 'admin@balticlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Andris' })).toBeVisible();
  await page.goto('/jobs');
  await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
});
