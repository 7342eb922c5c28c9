import { test, expect, hydrated, signIn, signOut, navTo } from './fixtures';

// One journey per kind of island: each fails if its island is not hydrated,
// because the form or control would do nothing (or post without JavaScript and
// lose the pending state that the journeys look for).

test('the supplier admin adds a customer, whose fields follow its segment, then deactivates and reactivates it', async ({ page }) => {
  await signIn(page, 'admin@nordlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ingrid' })).toBeVisible();
  await navTo(page, 'Administration', 'Organisations');
  await hydrated(page);
  const form = page.locator('#create-org-form');
  await expect(form.getByLabel('Partner kind')).toBeVisible();
  await expect(form.getByLabel('Segment')).toBeHidden();
  await form.getByLabel('Type').selectOption('customer');
  await expect(form.getByLabel('Partner kind')).toBeHidden();
  await form.getByLabel('Segment').selectOption('small_local');
  await expect(form.getByLabel('Service partner')).toBeVisible();
  await form.getByLabel('Name').fill('Quayside Cranes');
  await form.getByRole('button', { name: 'Add organisation' }).click();
  await expect(form.getByRole('alert')).toContainText('service partner');
  await form.getByLabel('Service partner').selectOption({ label: 'Baltic Lift Service' });
  await form.getByRole('button', { name: 'Add organisation' }).click();
  await expect(page.getByRole('status')).toHaveText('Organisation added.');
  const row = page.locator('tr[data-org="Quayside Cranes"]');
  await expect(row).toContainText('Small local customer');
  await expect(row).toContainText('Baltic Lift Service');
  await hydrated(page);
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByRole('status')).toHaveText('Changes saved.');
  await expect(row).toContainText('Deactivated');
  await hydrated(page);
  await row.getByRole('button', { name: 'Reactivate' }).click();
  await expect(row.locator('.badge')).toHaveText('Active');
});

test('a partner admin changes a technician\'s role and deactivates the account', async ({ page }) => {
  await signIn(page, 'admin@balticlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Andris' })).toBeVisible();
  await page.getByRole('link', { name: 'Team' }).click();
  await hydrated(page);
  // Start from a team member of our own, so that other journeys are not affected.
  const form = page.locator('#create-user-form');
  await form.getByLabel('Name').fill('Rita Rivet');
  await form.getByLabel('E-mail').fill('rita@balticlift.example');
  await form.getByLabel('Role').selectOption('partner_user');
  await form.getByLabel('Initial password').fill('rivets and bolts');
  await form.getByRole('button', { name: 'Add user' }).click();
  const row = page.locator('tr[data-email="rita@balticlift.example"]');
  await expect(row).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Role of Rita Rivet').selectOption('partner_admin');
  await expect(page.getByRole('status')).toHaveText('Changes saved.');
  await expect(page.getByLabel('Role of Rita Rivet')).toHaveValue('partner_admin');
  // One's own role cannot be changed.
  await expect(page.getByLabel('Role of Andris Ozols')).toBeDisabled();
  await hydrated(page);
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await expect(row.locator('.badge')).toHaveText('Deactivated');
  await signOut(page);
  await signIn(page, 'rita@balticlift.example', 'rivets and bolts');
  await expect(page.getByRole('alert')).toHaveText('The e-mail address or password is incorrect.');
});

test('a new user changes the initial password: errors first, then success', async ({ page }) => {
  await signIn(page, 'admin@globalport.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Grace' })).toBeVisible();
  await page.goto('/users');
  await hydrated(page);
  const form = page.locator('#create-user-form');
  await form.getByLabel('Name').fill('Paula Winch');
  await form.getByLabel('E-mail').fill('paula@globalport.example');
  await form.getByLabel('Role').selectOption('customer_user');
  await form.getByLabel('Initial password').fill('winch cable nine');
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.locator('#users-table')).toContainText('paula@globalport.example');
  await signOut(page);

  await signIn(page, 'paula@globalport.example', 'winch cable nine');
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('#must-change-password')).toBeVisible();
  await hydrated(page);
  const pw = page.locator('#password-form');
  await pw.getByLabel('Current password').fill('not my password');
  await pw.getByLabel('New password', { exact: true }).fill('hoist drum eleven');
  await pw.getByLabel('Repeat new password').fill('hoist drum eleven');
  await pw.getByRole('button', { name: 'Change password' }).click();
  await expect(pw.getByRole('alert')).toHaveText('Your current password is not correct.');
  await pw.getByLabel('Current password').fill('winch cable nine');
  await pw.getByLabel('New password', { exact: true }).fill('hoist drum eleven');
  await pw.getByLabel('Repeat new password').fill('hoist drum eleven');
  await pw.getByRole('button', { name: 'Change password' }).click();
  await expect(pw.getByRole('status')).toContainText('Password changed.');
  await expect(pw.getByLabel('Current password')).toHaveValue('');
  await signOut(page);
  await signIn(page, 'paula@globalport.example', 'hoist drum eleven');
  await expect(page.getByRole('heading', { name: 'Welcome, Paula' })).toBeVisible();
});

test('the account menu closes with Escape, returning focus, and with a click outside', async ({ page }) => {
  await signIn(page, 'support@nordlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Sofia' })).toBeVisible();
  await hydrated(page);
  const toggle = page.getByLabel('Account menu');
  await toggle.click();
  await expect(page.locator('.menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('.menu')).toBeHidden();
  await expect(toggle).toBeFocused();
  await toggle.click();
  await expect(page.locator('.menu')).toBeVisible();
  await page.getByRole('heading', { name: 'Welcome, Sofia' }).click();
  await expect(page.locator('.menu')).toBeHidden();
});
