import { test, expect, hydrated, signIn, navLabels } from './fixtures';

// The navigation's groups (app/src/nav.rs), one line per entry; navigation.spec.ts has every role.
const roles = [
  {
    email: 'admin@nordlift.example', name: 'Ingrid', see: 'Partners',
    nav: ['Dashboard', 'Equipment & parts: Installed base, Parts, Orders, Documents', 'Learning: Courses, My transcript, Training, Course editor', 'Administration: Organisations, Users, Catalogue import, Audit trail, Jobs'],
  },
  {
    email: 'admin@balticlift.example', name: 'Andris', see: 'Harbor Logistics',
    nav: ['Dashboard', 'Equipment & parts: Installed base, Parts, Orders, Documents', 'Learning: Courses, My transcript, Training', 'My customers', 'Team'],
  },
  {
    email: 'jon@tanner.example', name: 'Jon', see: 'Team members',
    nav: ['Dashboard', 'Equipment & parts: My equipment, Parts, Orders, Documents', 'Learning: Courses, My transcript'],
  },
];

for (const r of roles) {
  test(`${r.email} signs in and sees the navigation of the role`, async ({ page }) => {
    await signIn(page, r.email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: `Welcome, ${r.name}` })).toBeVisible();
    await hydrated(page);
    expect(await navLabels(page)).toEqual(r.nav);
    await expect(page.getByText(r.see).first()).toBeVisible();
  });
}

test('a wrong password shows an error and starts no session', async ({ page, context }) => {
  await signIn(page, 'admin@nordlift.example', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('The e-mail address or password is incorrect.');
  await expect(page).toHaveURL(/\/login/);
  expect((await context.cookies()).filter((c) => c.name.includes('careport_session'))).toEqual([]);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});

test('the session survives a reload, and sign-out ends it', async ({ page }) => {
  await signIn(page, 'ops@globalport.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Omar' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Welcome, Omar' })).toBeVisible();
  await hydrated(page);

  await page.getByLabel('Account menu').click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=\/account/);
});

test('signing in returns to the page that was asked for', async ({ page }) => {
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=\/account/);
  await hydrated(page);
  await page.getByLabel('E-mail').fill('support@nordlift.example');
  await page.getByLabel('Password').fill('careport-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  await expect(page).toHaveURL(/\/account$/);
});

test('a customer admin adds a team member, who can then sign in', async ({ page }) => {
  await signIn(page, 'admin@harbor.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Hanna' })).toBeVisible();
  await page.getByRole('link', { name: 'Team' }).click();
  await expect(page.getByRole('heading', { name: 'Team' })).toBeVisible();
  await hydrated(page);
  const form = page.locator('#create-user-form');
  await form.getByLabel('Name').fill('Crane Operator');
  await form.getByLabel('E-mail').fill('crane@harbor.example');
  await form.getByLabel('Role').selectOption('customer_user');
  await form.getByLabel('Initial password').fill('password');
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('alert')).toContainText('too common');
  await form.getByLabel('Initial password').fill('quay crane seven');
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status')).toContainText('User added.');
  await expect(page.locator('#users-table')).toContainText('crane@harbor.example');
  await hydrated(page);

  await page.getByLabel('Account menu').click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, 'crane@harbor.example', 'quay crane seven');
  // The initial password is changed before anything else.
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('#must-change-password')).toBeVisible();
  await hydrated(page);
  const pw = page.locator('#password-form');
  await pw.getByLabel('Current password').fill('quay crane seven');
  await pw.getByLabel('New password', { exact: true }).fill('harbour crane eight');
  await pw.getByLabel('Repeat new password').fill('harbour crane eight');
  await pw.getByRole('button', { name: 'Change password' }).click();
  await expect(pw.getByRole('status')).toContainText('Password changed.');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Welcome, Crane' })).toBeVisible();
});

test('a page outside the role is refused, and unknown pages are 404', async ({ page }) => {
  await signIn(page, 'jon@tanner.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Jon' })).toBeVisible();
  const res = await page.goto('/users');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
  const missing = await page.goto('/nowhere');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'This page does not exist' })).toBeVisible();
});

test('sign-in works with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await expect(page.getByLabel('E-mail')).toBeFocused();
  await page.keyboard.type('pm@nordlift.example');
  await page.keyboard.press('Tab');
  await page.keyboard.type('careport-demo');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Welcome, Per' })).toBeVisible();
  expect(await navLabels(page)).toEqual(['Dashboard', 'Equipment & parts: Installed base, Parts, Orders, Documents', 'Learning: Courses, My transcript', 'Partners & customers']);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 800 } });

  test('the shell fits the screen', async ({ page }) => {
    await signIn(page, 'admin@balticlift.example');
    await expect(page.getByRole('heading', { name: 'Welcome, Andris' })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByLabel('Account menu')).toBeVisible();
  });
});

test('the account menu leads to My account and closes behind it', async ({ page }) => {
  await signIn(page, 'tech@balticlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Toomas' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Account menu').click();
  await expect(page.locator('.menu')).toBeVisible();
  await page.locator('.menu').getByRole('link', { name: 'My account' }).click();
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  await expect(page.locator('.menu')).toBeHidden();
});

test('a person signs out their other device from My account', async ({ page, browser }) => {
  const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
  const other = await browser.newContext({ userAgent: iphone });
  const phone = await other.newPage();
  await signIn(phone, 'jon@tanner.example');
  await expect(phone.getByRole('heading', { name: 'Welcome, Jon' })).toBeVisible();

  await signIn(page, 'jon@tanner.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Jon' })).toBeVisible();
  await page.goto('/account');
  const rows = page.locator('#sessions-table tbody tr');
  await expect(rows.first()).toContainText('This device');
  const phoneRow = rows.filter({ hasText: 'Safari on iPhone' });
  await expect(phoneRow).toHaveCount(1);
  await phoneRow.getByRole('button', { name: 'End session' }).click();
  await expect(page.getByText('Signed out there.')).toBeVisible();
  await expect(phoneRow).toHaveCount(0);

  await phone.reload();
  await expect(phone).toHaveURL(/\/login/);
  await other.close();
});
