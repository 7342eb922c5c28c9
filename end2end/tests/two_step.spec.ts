import { test, expect, hydrated, signIn, signOut, totp, PASSWORD } from './fixtures';

// The journeys that change a demo account's sign-in: agent@iberia is used by no
// other journey, and leaves with two-step verification off again. They run in
// this order (the file's tests are not run in parallel).
test('an agent turns on two-step verification, signs in with a code and a recovery code, and turns it off', async ({ page }) => {
  await signIn(page, 'agent@iberia.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ana' })).toBeVisible();
  await page.goto('/account');
  await page.locator('#two-step-card').getByRole('link', { name: 'Turn on' }).click();
  await expect(page).toHaveURL(/\/account\/two-step$/);
  await expect(page.locator('.qr svg')).toBeVisible();
  const secret = await page.locator('#totp-secret').innerText();
  await hydrated(page);
  // Turning it on asks for the password as well as the first code.
  await page.getByLabel('6-digit code').fill(totp(secret));
  await page.getByLabel('Your password').fill('not-the-password');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('alert')).toContainText('Your current password is not correct');
  await page.getByLabel('6-digit code').fill('000000');
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not correct');
  await page.getByLabel('6-digit code').fill(totp(secret));
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.locator('#recovery-codes li')).toHaveCount(10);
  const recovery = await page.locator('#recovery-codes li').first().innerText();
  await page.getByRole('link', { name: 'I have saved them' }).click();
  await expect(page.locator('#two-step-card')).toContainText('On');

  // The password alone is no longer enough.
  await signOut(page);
  await signIn(page, 'agent@iberia.example');
  await expect(page).toHaveURL(/\/login\/two-step/);
  await hydrated(page);
  await page.getByLabel('Code').fill('111111');
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('not correct');
  // The enrolment used this step's code: the app's next one signs in.
  await page.getByLabel('Code').fill(totp(secret, Date.now() / 1000 + 30));
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ana' })).toBeVisible();

  // Without the phone: a recovery code, once.
  await signOut(page);
  await signIn(page, 'agent@iberia.example');
  await expect(page).toHaveURL(/\/login\/two-step/);
  await hydrated(page);
  await page.getByLabel('Code').fill(recovery);
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ana' })).toBeVisible();

  await page.goto('/account/two-step');
  await expect(page.locator('#two-step-on')).toContainText('9 of 10');
  await hydrated(page);
  await page.getByLabel('Your password').last().fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('status')).toContainText('Two-step verification is off');
  await signOut(page);
  await signIn(page, 'agent@iberia.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ana' })).toBeVisible();
});

test('an administrator resets a lost phone\'s two-step verification, with their own password', async ({ page }) => {
  await signIn(page, 'agent@iberia.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ana' })).toBeVisible();
  await page.goto('/account/two-step');
  const secret = await page.locator('#totp-secret').innerText();
  await hydrated(page);
  await page.getByLabel('6-digit code').fill(totp(secret));
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.locator('#recovery-codes li')).toHaveCount(10);
  await signOut(page);

  // Ana lost her phone: the supplier's administrator resets it.
  await signIn(page, 'admin@nordlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ingrid' })).toBeVisible();
  await page.goto('/users');
  const row = page.locator('#users-table tr[data-email="agent@iberia.example"]');
  await expect(row).toContainText('2-step');
  await row.locator('summary').click();
  await row.getByLabel('Your password').fill('not-the-password');
  await row.getByRole('button', { name: /Confirm the reset/ }).click();
  await expect(page.getByRole('alert')).toContainText('Your current password is not correct');
  await expect(row).toContainText('2-step');
  await row.locator('summary').click();
  await row.getByLabel('Your password').fill(PASSWORD);
  await row.getByRole('button', { name: /Confirm the reset/ }).click();
  await expect(page.getByRole('status')).toContainText('Two-step verification reset');
  await expect(row).not.toContainText('2-step');
  await signOut(page);

  // The password alone signs her in again.
  await signIn(page, 'agent@iberia.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ana' })).toBeVisible();
});
