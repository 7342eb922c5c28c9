import { test, expect, signIn } from './fixtures';

test('a customer finds a part by a dashed number typed without dashes, and the parts of its unit', async ({ page }) => {
  await signIn(page, 'jon@tanner.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Jon' })).toBeVisible();
  await page.getByRole('link', { name: 'Parts', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Parts catalogue' })).toBeVisible();
  await page.getByLabel('Part number or description').fill('nl1104022');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/parts\?q=nl1104022/);
  const first = page.locator('#part-results tbody tr').first();
  await expect(first).toContainText('NL-1104-022');
  await first.getByRole('link', { name: 'NL-1104-022' }).click();
  await expect(page.getByRole('heading', { name: 'NL-1104-022', level: 1 })).toBeVisible();
  // No agreement: the list price.
  await expect(page.locator('#your-price')).toHaveText('€184.00');

  // A superseded number leads to the part to order.
  await page.goto('/parts?q=brake+pad');
  await expect(page.locator('#part-results')).toContainText('Replaced by');
  await page.getByRole('link', { name: 'NL-1104-020' }).click();
  await expect(page.locator('#superseded')).toContainText('Order NL-1104-022 instead');

  // The unit's page lists its assemblies' parts; another customer's unit is not found.
  await page.getByRole('link', { name: 'My equipment' }).click();
  await page.getByRole('link', { name: 'LX2-2020-00655' }).click();
  await expect(page.locator('#assembly-drv')).toContainText('NL-1101-001');
  await expect(page.locator('#unit-facts')).toContainText('Tanner residence');
  const foreign = await page.goto('/units/HX5-2021-00088');
  expect(foreign?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});

test('a partner sees its customer’s units with its reseller prices', async ({ page }) => {
  await signIn(page, 'tech@balticlift.example');
  await page.getByRole('link', { name: 'Installed base' }).click();
  const rows = page.locator('#units-table tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Harbor Logistics');
  await page.getByRole('link', { name: 'HX5-2023-00151' }).click();
  await expect(page.locator('#assembly-pwr')).toContainText('NL-2101-003');
  await expect(page.getByText('Prices include your reseller agreement (25 % off list).')).toBeVisible();
});
