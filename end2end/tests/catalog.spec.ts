import { test, expect, hydrated, signIn, navTo } from './fixtures';

test('a customer finds a part by a dashed number typed without dashes, and the parts of its unit', async ({ page }) => {
  await signIn(page, 'jon@tanner.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Jon' })).toBeVisible();
  await navTo(page, 'Equipment & parts', 'Parts');
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
  await navTo(page, 'Equipment & parts', 'My equipment');
  await page.getByRole('link', { name: 'LX2-2020-00655' }).click();
  await expect(page.locator('#assembly-drv')).toContainText('NL-1101-001');
  await expect(page.locator('#unit-facts')).toContainText('Tanner residence');
  const foreign = await page.goto('/units/HX5-2021-00088');
  expect(foreign?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});

test('a partner sees its customer’s units with its reseller prices', async ({ page }) => {
  await signIn(page, 'tech@balticlift.example');
  await navTo(page, 'Equipment & parts', 'Installed base');
  const rows = page.locator('#units-table tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Harbor Logistics');
  await page.getByRole('link', { name: 'HX5-2023-00151' }).click();
  await expect(page.locator('#assembly-pwr')).toContainText('NL-2101-003');
  await expect(page.getByText('Prices include your reseller agreement (25 % off list).')).toBeVisible();
});

test('results appear while typing, follow the chosen model, and lead to the part', async ({ page }) => {
  await signIn(page, 'ops@globalport.example');
  await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();
  await page.goto('/parts');
  await hydrated(page);
  const box = page.locator('#part-q');
  const suggest = page.locator('#part-suggest');
  // A number typed without dashes: the part is offered before any submit.
  await box.pressSequentially('nl110402', { delay: 20 });
  await expect(suggest.getByRole('link', { name: /^NL-1104-022 / })).toBeVisible();
  await expect(page).toHaveURL(/\/parts$/);
  // Escape closes the list; words of the description find parts too.
  await box.press('Escape');
  await expect(suggest.locator('li')).toHaveCount(0);
  await box.fill('');
  await box.pressSequentially('door roller', { delay: 20 });
  await expect(suggest.locator('li').first()).toContainText(/door roller/i);
  // The chosen model filters them: door rollers fit the LX-200 only.
  await page.getByLabel('Model').selectOption({ label: 'HX-500 · HX-500 hydraulic freight lift' });
  await box.press('End');
  await box.pressSequentially(' ', { delay: 20 });
  await expect(suggest).toContainText('No parts match.');
  await page.getByLabel('Model').selectOption({ index: 0 });
  await box.press('Backspace');
  await expect(suggest.locator('li').first()).toContainText(/door roller/i);
  // "All results" is the plain results page; an item is the part's page.
  await suggest.getByRole('link', { name: /^All \d+ results$/ }).click();
  await expect(page).toHaveURL(/\/parts\?q=door%20roller&model=$/);
  await page.goto('/parts');
  await hydrated(page);
  await box.pressSequentially('NL-1104-02', { delay: 20 });
  await suggest.getByRole('link', { name: /^NL-1104-022 / }).click();
  await expect(page.getByRole('heading', { name: 'NL-1104-022', level: 1 })).toBeVisible();
});
