import { test, expect, hydrated, signIn, signOut, navTo } from './fixtures';

test('a customer finds a part through a unit\'s exploded drawing, orders it and sees the order in its history', async ({ page }) => {
  await signIn(page, 'admin@globalport.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Grace' })).toBeVisible();
  await navTo(page, 'Equipment & parts', 'My equipment');
  await page.getByRole('link', { name: 'HX5-2021-00088' }).click();

  // The cylinder's drawing: the drawing loads, zooms, and its callout 2 leads to
  // the ram seal kit's line, highlighted, with its "Add to cart".
  const drawing = page.locator('#assembly-cyl figure');
  const image = drawing.locator('image');
  await expect(image).toHaveAttribute('href', /^\/drawings\/HX-500\/CYL\.svg\?v=/);
  const loaded = await page.request.get((await image.getAttribute('href'))!);
  expect(loaded.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
  const canvas = drawing.locator('svg.drawing-canvas');
  const fit = (await canvas.boundingBox())!.width;
  await drawing.getByText('2×', { exact: true }).click();
  await expect.poll(async () => Math.round((await canvas.boundingBox())!.width)).toBe(Math.round(fit * 2));
  await drawing.getByText('Fit', { exact: true }).click();
  await drawing.getByRole('link', { name: 'Item 2: Ram seal kit Ø150 mm' }).click();
  await expect(page).toHaveURL(/#cyl-item-2$/);
  const row = page.locator('#cyl-item-2');
  await expect(row).toContainText('NL-2203-010');
  await expect(row).toHaveCSS('background-color', 'rgb(255, 243, 214)');
  await expect(drawing.locator('#cyl-callout-2 circle')).toHaveCSS('fill', 'rgb(15, 76, 92)');
  // Hovering another line lights its callout, and only that one.
  await page.locator('#cyl-item-4').hover();
  await expect(drawing.locator('#cyl-callout-4 circle')).toHaveCSS('fill', 'rgb(15, 76, 92)');
  await expect(drawing.locator('#cyl-callout-5 circle')).toHaveCSS('fill', 'rgb(255, 255, 255)');

  await row.getByLabel('Quantity').fill('2');
  await row.getByRole('button', { name: 'Add NL-2203-010 to cart' }).click();
  await expect(page.getByRole('status')).toContainText('Added to your cart.');
  await expect(page.locator('#cart-count')).toHaveText('1');

  await page.goto('/cart');
  await page.getByLabel('Quantity of NL-2203-010').fill('3');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.locator('#cart-total')).toHaveText('€596.64');
  await page.getByLabel('Quantity of NL-2203-010').fill('2');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.locator('#cart-total')).toHaveText('€397.76');

  await hydrated(page);
  await page.getByLabel('Your purchase-order reference').fill('PO-2026-118');
  await page.getByRole('button', { name: 'Submit order' }).click();
  // The address is required: the browser says so first; typed fields are kept.
  await page.getByLabel('Delivery address').fill('Warehouse B, dock 4\nRotterdam');
  await page.getByRole('button', { name: 'Submit order' }).dblclick();
  await expect(page.locator('#order-placed')).toContainText('is submitted');
  const number = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
  await expect(page.locator('#order-total')).toHaveText('€397.76');
  await expect(page.locator('#cart-count')).toHaveCount(0);

  await navTo(page, 'Equipment & parts', 'Orders');
  // Newest first: the demo's earlier orders follow it.
  const first = page.locator('#orders-table tbody tr').first();
  await expect(first).toContainText(number);
  await expect(first).toContainText('PO-2026-118');
  await expect(first).toContainText('Submitted');
});

test('a partner orders for its customer, and Nordlift confirms it', async ({ page }) => {
  await signIn(page, 'tech@balticlift.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Toomas' })).toBeVisible();
  await page.goto('/parts/NL-1104-020');
  await expect(page.locator('#superseded')).toContainText('Order NL-1104-022 instead');
  await page.locator('#superseded').getByRole('button', { name: 'Add NL-1104-022 to cart' }).click();
  await expect(page.getByRole('status')).toContainText('Added to your cart.');
  await page.getByRole('link', { name: 'Cart' }).click();
  await expect(page.locator('#cart-total')).toHaveText('€138.00');
  await hydrated(page);
  await page.getByLabel('For customer').selectOption({ label: 'Harbor Logistics' });
  await page.getByLabel('Delivery address').fill('Cold store, Klaipėda harbour');
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.locator('#order-facts')).toContainText('Harbor Logistics');
  await expect(page.locator('#order-facts')).toContainText('Baltic Lift Service');
  const url = page.url().replace(/\?.*$/, '');

  await signOut(page);
  await signIn(page, 'support@nordlift.example');
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  await page.goto(url);
  await page.getByLabel('Note (optional)').fill('Stock picked today');
  await page.getByRole('button', { name: 'Mark confirmed' }).click();
  await expect(page.getByRole('status')).toContainText('Changes saved.');
  await expect(page.locator('#order-facts')).toContainText('Confirmed');
  await expect(page.locator('.timeline')).toContainText('Stock picked today');
  await expect(page.locator('#order-total')).toHaveText('€138.00');

  // The customer sees what was ordered for it, not its reseller's prices.
  await signOut(page);
  await signIn(page, 'admin@harbor.example');
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  await page.goto(url);
  await expect(page.locator('#order-lines')).toContainText('NL-1104-022');
  await expect(page.locator('#order-priced-by')).toHaveText('Priced by Baltic Lift Service: ask them for your prices.');
  await expect(page.locator('#order-total')).toHaveCount(0);
  await expect(page.locator('#order-lines')).not.toContainText('€');
});
