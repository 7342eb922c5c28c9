import { test, expect, signIn, navTo } from './fixtures';

const header = 'part_number,description,list_price,stock_qty,lead_time_days\n';

test('the supplier admin imports parts: a faulty file is refused with its lines, a good one is imported', async ({ page }) => {
  await signIn(page, 'admin@nordlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ingrid' })).toBeVisible();
  await navTo(page, 'Equipment & parts', 'Parts');
  await page.getByRole('link', { name: 'Import the catalogue from CSV' }).click();

  await page.getByLabel('Parts', { exact: true }).setInputFiles({
    name: 'parts.csv', mimeType: 'text/csv',
    buffer: Buffer.from(header + 'NL-7700-001,Landing door roller,18.40,12,4\nNL-7700-002,Landing door lock,twelve,3,9\n'),
  });
  await page.getByRole('button', { name: 'Check and import' }).click();
  await expect(page).toHaveURL(/\/catalog\/import\/\d+$/);
  await expect(page.getByText('Refused: nothing imported')).toBeVisible();
  const faulty = page.locator('#import-errors tbody tr');
  await expect(faulty).toHaveCount(1);
  await expect(faulty).toContainText('parts');
  await expect(faulty.locator('td').nth(1)).toHaveText('3');
  await expect(faulty).toContainText('list_price "twelve" is not an amount in euros');

  await page.getByRole('link', { name: 'Catalogue import' }).click();
  await page.getByLabel('Parts', { exact: true }).setInputFiles({
    name: 'parts.csv', mimeType: 'text/csv',
    buffer: Buffer.from(header + 'NL-7700-001,Landing door roller,18.40,12,4\nNL-7700-002,Landing door lock,112.00,3,9\n'),
  });
  await page.getByRole('button', { name: 'Check and import' }).click();
  await expect(page.getByText('Imported', { exact: true })).toBeVisible();
  await expect(page.locator('#import-summary')).toContainText('2 parts, 0 BOM lines');

  await page.goto('/parts?q=NL7700002');
  await expect(page.getByRole('link', { name: 'NL-7700-002' })).toBeVisible();
});
