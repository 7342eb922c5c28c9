import { test, expect, signIn, navTo } from './fixtures';

test('the supplier admin uploads a new version of a manual; older versions stay listed', async ({ page }) => {
  await signIn(page, 'admin@nordlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Ingrid' })).toBeVisible();
  await navTo(page, 'Equipment & parts', 'Documents');
  const row = page.locator('#documents-hx-500 tr', { hasText: 'HX-500 Operation manual' });
  await expect(row).toContainText('rev A');

  // A file of a kind that is not accepted: the reason, and nothing changes.
  await row.getByLabel('Upload a new version of HX-500 Operation manual').click();
  await row.getByLabel('Version', { exact: true }).fill('rev B');
  await row.getByLabel('File', { exact: true }).setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await row.getByRole('button', { name: 'Upload version' }).click();
  await expect(page.getByRole('alert')).toContainText('This kind of file is not accepted');
  await expect(row).not.toContainText('rev B');

  await row.getByLabel('Upload a new version of HX-500 Operation manual').click();
  await row.getByLabel('Version', { exact: true }).fill('rev B');
  await row.getByLabel('File', { exact: true }).setInputFiles({ name: 'HX-500 manual rev B.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% rev B\n%%EOF\n') });
  await row.getByRole('button', { name: 'Upload version' }).click();
  await expect(page.getByRole('status')).toContainText('Document uploaded.');
  await expect(row.locator('td').nth(2)).toHaveText('rev B');
  await expect(row.getByText('Older versions (1)')).toBeVisible();
  const href = await row.getByRole('link', { name: 'Download HX-500 Operation manual (rev B)' }).getAttribute('href');
  const file = await page.request.get(href!);
  expect(file.headers()['content-type']).toBe('application/pdf');
  expect(await file.text()).toContain('% rev B');
});

test('a customer reads the documents of its unit and not those of other models', async ({ page }) => {
  await signIn(page, 'jon@tanner.example');
  await navTo(page, 'Equipment & parts', 'My equipment');
  await page.getByRole('link', { name: 'LX2-2020-00655' }).click();
  const card = page.locator('#unit-documents');
  await expect(card).toContainText('LX-200 Betriebsanleitung');
  await expect(card).not.toContainText('SB-2026-04');
  const href = await card.getByRole('link', { name: 'Download LX-200 Betriebsanleitung (rev C)' }).getAttribute('href');
  const file = await page.request.get(href!);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-disposition']).toContain('LX-200-Betriebsanleitung-revC.pdf');

  await navTo(page, 'Equipment & parts', 'Documents');
  await expect(page.locator('#documents-lx-200')).toBeVisible();
  await expect(page.locator('#documents-hx-500')).toHaveCount(0);
  await expect(page.locator('#upload-document')).toHaveCount(0);
});
