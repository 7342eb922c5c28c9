import { test, expect, signIn, signOut, hydrated, navTo, navLabels } from './fixtures';

test('a customer user completes a course lesson by lesson, and its admin sees the matrix cell turn to completed', async ({ page }) => {
  await signIn(page, 'tom@globalport.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Tom' })).toBeVisible();
  await navTo(page, 'Learning', 'Courses');
  // A customer sees customer courses, not the partners' service courses.
  await expect(page.locator('#courses')).toContainText('LX-200 Operation');
  await expect(page.locator('#courses')).not.toContainText('LX-200 Service technician');
  await page.getByRole('link', { name: 'Lift safety essentials' }).click();
  await page.getByRole('button', { name: 'Enrol' }).click();
  await expect(page.getByRole('status')).toContainText('You are enrolled.');
  await page.getByRole('link', { name: 'Start the course' }).click();

  const lessons = ['Where lifts hurt people', 'Reading the safety circuit', 'Lock-out, tag-out and the car roof'];
  for (const [i, title] of lessons.entries()) {
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.locator('#lesson')).toContainText(`Lesson ${i + 1} of 3`);
    await page.locator('#mark-done').click();
  }
  // The last lesson leads back to the course, completed.
  await expect(page.getByRole('status')).toContainText('Course completed.');
  await expect(page.locator('#enrollment')).toContainText('Completed');
  await expect(page.locator('#enrollment')).toContainText('3 of 3 lessons done');
  await page.goto('/transcript');
  await expect(page.locator('#current')).toContainText('Lift safety essentials');
  await signOut(page);

  await signIn(page, 'admin@globalport.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Grace' })).toBeVisible();
  await navTo(page, 'Learning', 'Training');
  const cell = page.locator('#matrix tr', { hasText: 'Tom Visser' }).locator('td[data-course="lift-safety-essentials"]');
  await expect(cell).toContainText('Completed');
  // Tom's other required course is a gap, proposed and assigned in one click.
  await expect(page.locator('#proposals')).toContainText('Tom Visser · LX-200 Operation');
  // Mo's daily checks wait for LX-200 Operation, which he has not completed.
  const mo = page.locator('#proposals li', { hasText: 'Mo Haddad · LX-200 Daily checks' });
  await expect(mo).toContainText('waits for LX-200 Operation');
  await page.locator('#apply-proposals').click();
  await expect(page.getByRole('status')).toContainText('The proposed enrollments are assigned, except courses whose prerequisites');
  await expect(page.locator('#matrix tr', { hasText: 'Tom Visser' }).locator('td[data-course="lx-200-operation"]')).toContainText('Not started');
  // Only the waiting proposal is left, and nothing to assign at once.
  await expect(page.locator('#proposals li')).toHaveCount(1);
  await expect(page.locator('#proposals')).toContainText('1 waits for a prerequisite');
  await expect(page.locator('#apply-proposals')).toHaveCount(0);
});

test('an admin filters the matrix by status, and a learner cannot open it', async ({ page }) => {
  await signIn(page, 'admin@globalport.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Grace' })).toBeVisible();
  await page.goto('/training?status=overdue');
  await expect(page.locator('#matrix tbody tr')).toHaveCount(1);
  await expect(page.locator('#matrix')).toContainText('Pieter de Wit');
  await expect(page.locator('#matrix')).toContainText('Overdue');
  await signOut(page);
  await signIn(page, 'ops@globalport.example');
  await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();
  // No entry for the matrix in the navigation, open or closed.
  expect(await navLabels(page)).toContain('Learning: Courses, My transcript');
  await expect(page.locator('nav.mainnav a[href="/training"]')).toHaveCount(0);
  const r = await page.goto('/training');
  expect(r!.status()).toBe(403);
});

test('a customer admin buys course seats as an order line; once Nordlift confirms the order, the seats can be used', async ({ page }) => {
  // Harbor Logistics' admin: her cart and her organisation's seats are no other journey's.
  await signIn(page, 'admin@harbor.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Hanna' })).toBeVisible();
  await page.goto('/courses/emergency-release-and-rescue');
  await expect(page.locator('#seats-left')).toHaveText('Your organisation has no seats of this course yet.');
  await page.getByLabel('Seats', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Add seats to cart' }).click();
  await expect(page.getByRole('status')).toContainText('Added to your cart.');
  await page.getByRole('link', { name: 'Cart' }).click();
  const line = page.locator('#cart tr[data-course="emergency-release-and-rescue"]');
  await expect(line).toContainText('Course seats');
  await expect(line).toContainText('Emergency release and passenger rescue');
  await expect(page.getByLabel('Quantity of seats of Emergency release and passenger rescue')).toHaveValue('3');
  await hydrated(page);
  await page.getByLabel('Delivery address').fill('Harbor Logistics, quay 3');
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page.locator('#order-placed')).toContainText('is submitted');
  await expect(page.locator('#order-lines')).toContainText('Course seats');
  const url = page.url().replace(/\?.*$/, '');
  // Not confirmed yet: the seats do not count.
  await page.goto('/courses/emergency-release-and-rescue');
  await expect(page.locator('#seats-left')).toHaveText('Your organisation has no seats of this course yet.');
  await signOut(page);

  await signIn(page, 'support@nordlift.example');
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  await page.goto(url);
  await page.getByRole('button', { name: 'Mark confirmed' }).click();
  await expect(page.locator('#order-facts')).toContainText('Confirmed');
  await signOut(page);

  await signIn(page, 'admin@harbor.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Hanna' })).toBeVisible();
  await page.goto('/courses/emergency-release-and-rescue');
  await expect(page.locator('#seats-left')).toHaveText('Your organisation has 3 seats left of 3.');
});
