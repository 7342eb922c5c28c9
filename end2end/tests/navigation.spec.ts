import type { Page } from '@playwright/test';
import { test, expect, signIn, navLabels, navTo, expectAccessible, DESKTOP, PHONE } from './fixtures';

// The main navigation groups the sections by what people come to do (app/src/nav.rs):
// each group is a <details> menu rendered on the server, so it needs no wasm.

const equipment = 'Equipment & parts: Installed base, Parts, Orders, Documents';
const myEquipment = 'Equipment & parts: My equipment, Parts, Orders, Documents';
const learning = 'Learning: Courses, My transcript';
const training = 'Learning: Courses, My transcript, Training';

const roles = [
  {
    role: 'admin', email: 'admin@nordlift.example',
    nav: ['Dashboard', equipment, 'Learning: Courses, My transcript, Training, Course editor',
      'Administration: Organisations, Users, Catalogue import, Audit trail, Jobs'],
  },
  { role: 'partner_manager', email: 'pm@nordlift.example', nav: ['Dashboard', equipment, learning, 'Partners & customers'] },
  { role: 'support_engineer', email: 'support@nordlift.example', nav: ['Dashboard', equipment, learning, 'Customers'] },
  { role: 'partner_admin', email: 'admin@balticlift.example', nav: ['Dashboard', equipment, training, 'My customers', 'Team'] },
  { role: 'partner_user', email: 'tech@balticlift.example', nav: ['Dashboard', equipment, learning, 'My customers'] },
  { role: 'customer_admin', email: 'admin@globalport.example', nav: ['Dashboard', myEquipment, training, 'Team'] },
  { role: 'customer_user', email: 'ops@globalport.example', nav: ['Dashboard', myEquipment, learning] },
];

/**
 * What is wrong with the header at the present size: the page scrolling
 * sideways, or an entry of the header (or of the open menu) not shown, outside
 * the screen, with its label cut, or overlapping another.
 */
async function headerProblems(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    const [width, height] = [window.innerWidth, window.innerHeight];
    const scroll = document.documentElement.scrollWidth;
    if (scroll > width) problems.push(`the page scrolls sideways (${scroll} px wide)`);
    const entries = Array.from(document.querySelectorAll<HTMLElement>(
      '.topbar .brand-link, .mainnav > a, .mainnav > details > summary, .topbar .bell-link, .topbar .cart-link, '
      + '.topbar .user-menu > summary, .mainnav > details[open] .navmenu-item',
    )).map((el) => ({
      el,
      name: (el.textContent ?? '').trim() || el.getAttribute('aria-label') || el.className,
      box: el.getBoundingClientRect(),
    }));
    for (const { el, name, box } of entries) {
      if (box.width === 0 || box.height === 0) problems.push(`${name}: not shown`);
      if (box.left < 0 || box.right > width + 0.5 || box.bottom > height) {
        problems.push(`${name}: outside the screen (${Math.round(box.left)}–${Math.round(box.right)} px, bottom ${Math.round(box.bottom)} px)`);
      }
      if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name}: its label is cut`);
    }
    for (const [i, a] of entries.entries()) {
      for (const b of entries.slice(i + 1)) {
        const across = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const down = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        if (across > 1 && down > 1 && !a.el.contains(b.el) && !b.el.contains(a.el)) problems.push(`${a.name} overlaps ${b.name}`);
      }
    }
    return problems;
  });
}

for (const r of roles) {
  test(`the ${r.role}'s navigation fits a desktop and a phone, every group opening whole`, async ({ page }, testInfo) => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, r.email);
    await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();
    expect(await navLabels(page)).toEqual(r.nav);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const groups = nav.locator('details');
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await page.setViewportSize(viewport);
      expect(await headerProblems(page), `the header on a ${size}`).toEqual([]);
      // Kept in the test's output folder, to be looked at.
      await page.screenshot({ path: testInfo.outputPath(`${r.role}-${size}.png`) });
      for (const group of await groups.all()) {
        const label = ((await group.locator('summary').textContent()) ?? '').trim();
        await group.locator('summary').click();
        await expect(group.locator('.navmenu')).toBeVisible();
        // One group is open at a time.
        await expect(nav.locator('details[open]')).toHaveCount(1);
        expect(await headerProblems(page), `${label} open on a ${size}`).toEqual([]);
        await page.screenshot({ path: testInfo.outputPath(`${r.role}-${size}-${label.toLowerCase().replace(/[^a-z]+/g, '-')}.png`) });
        await expectAccessible(page, `${label} open on a ${size}`);
      }
      // A click outside the open group closes it, and does nothing else.
      if ((await groups.count()) > 0) {
        await page.mouse.click(viewport.width / 2, viewport.height - 10);
        await expect(nav.locator('details[open]')).toHaveCount(0);
        await expect(page).toHaveURL(/\/$/);
      }
    }
  });
}

test('the current page is marked in its group, and pages under it mark the group', async ({ page }) => {
  await signIn(page, 'jon@tanner.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Jon' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  await navTo(page, 'Equipment & parts', 'Parts');
  await expect(page.getByRole('heading', { name: 'Parts catalogue' })).toBeVisible();
  const group = nav.locator('details', { has: page.locator('summary', { hasText: 'Equipment & parts' }) });
  await expect(group.locator('summary')).toHaveAttribute('aria-current', 'true');
  await expect(group.locator('a[href="/parts"]')).toHaveAttribute('aria-current', 'page');
  await expect(group.locator('a[href="/orders"]')).not.toHaveAttribute('aria-current');
  await expect(nav.getByRole('link', { name: 'Dashboard' })).not.toHaveAttribute('aria-current');
  // The group is closed after the page load, and opens on the current page.
  await expect(group).not.toHaveAttribute('open');
  await group.locator('summary').click();
  await expect(nav.getByRole('link', { name: 'Parts', exact: true })).toHaveAttribute('aria-current', 'page');
  await page.goto('/parts/NL-1104-022');
  await expect(group.locator('summary')).toHaveAttribute('aria-current', 'true');
  await expect(group.locator('a[href="/parts"]')).toHaveAttribute('aria-current', 'true');
  await expect(nav.locator('details', { hasText: 'Learning' }).locator('summary')).not.toHaveAttribute('aria-current');
});

test('the navigation works with the keyboard alone', async ({ page }) => {
  await signIn(page, 'ops@globalport.example');
  await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Dashboard' }).focus();
  await page.keyboard.press('Tab');
  const summary = nav.locator('summary', { hasText: 'Equipment & parts' });
  await expect(summary).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(nav.getByRole('link', { name: 'My equipment' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'My equipment' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Orders' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/orders$/);
  // Space opens a group too, and closes it again.
  const learningGroup = nav.locator('details', { has: page.locator('summary', { hasText: 'Learning' }) });
  await learningGroup.locator('summary').focus();
  await page.keyboard.press('Space');
  await expect(learningGroup).toHaveAttribute('open');
  await page.keyboard.press('Space');
  await expect(learningGroup).not.toHaveAttribute('open');
});

test.describe('on a phone', () => {
  test.use({ viewport: PHONE });

  test('a group opens under the navigation and leads to its page', async ({ page }) => {
    await signIn(page, 'admin@harbor.example');
    await expect(page.getByRole('heading', { name: 'Welcome, Hanna' })).toBeVisible();
    await navTo(page, 'Learning', 'Training');
    await expect(page).toHaveURL(/\/training$/);
    // The cart keeps its name on a phone, where only its icon shows.
    await expect(page.getByRole('link', { name: /^Cart/ })).toBeVisible();
  });
});
