import { test, expect, signIn, signOut, navTo } from './fixtures';

test('an editor writes, previews and publishes a course; an admin assigns it and the learner gets a notice', async ({ page }) => {
  const title = `Night shift rescue drill ${Date.now() % 100000}`;
  await signIn(page, 'admin@nordlift.example');
  await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();
  await navTo(page, 'Learning', 'Courses');
  await page.locator('#course-editor').click();
  await expect(page.locator('#editor-courses')).toContainText('Lift safety essentials');
  // Ratings per course, for the supplier.
  await expect(page.locator('#editor-courses tr', { hasText: 'LX-200 Operation' }).locator('.rating-cell')).toContainText('★');

  await page.getByLabel('Title').fill(title);
  await page.getByLabel('For').selectOption('both');
  await page.getByRole('button', { name: 'Create the course' }).click();
  await expect(page.getByRole('status')).toContainText('Course created as a draft');
  await expect(page.locator('#course-state')).toHaveText('Draft');

  await page.locator('#module-title').fill('The drill');
  await page.getByRole('button', { name: 'Add the module' }).click();
  await page.locator('#lesson-title').fill('Roles before the drill');
  await page.getByRole('button', { name: 'Add and write it' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lesson 1 of 1' })).toBeVisible();

  await page.locator('#lesson-body').fill('## Who does what\n\n- **Rescuer**: frees the car\n- Observer: keeps talking to the passengers\n\n<script>document.title="owned"</script>');
  await page.locator('#preview-draft').click();
  await expect(page.getByRole('status')).toContainText('Draft saved');
  await expect(page.locator('#preview')).toContainText('Draft: learners still read the published text');
  await expect(page.locator('#preview h2')).toHaveText('Who does what');
  await expect(page.locator('#preview strong')).toHaveText('Rescuer');
  await expect(page.locator('#preview script')).toHaveCount(0);
  await page.locator('#publish-lesson').click();
  await expect(page.getByRole('status')).toContainText('Lesson published');
  await expect(page.locator('#preview')).toContainText('Published text');

  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: title }).click();
  await page.locator('#publish').click();
  await expect(page.locator('#course-state')).toHaveText('Published');
  await signOut(page);

  // The customer's admin assigns the new course.
  await signIn(page, 'admin@globalport.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Grace' })).toBeVisible();
  await navTo(page, 'Learning', 'Training');
  await page.locator('#assign-user').selectOption({ label: 'Eva Jansen' });
  await page.locator('#assign-course').selectOption({ label: title });
  await page.locator('#assign').getByRole('button', { name: 'Assign' }).click();
  await expect(page.getByRole('status')).toContainText('Course assigned.');
  await signOut(page);

  // The learner sees it in the bell, opens it, and marks the notices read.
  await signIn(page, 'eva@globalport.example');
  await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();
  await expect(page.locator('#notice-count')).toBeVisible();
  await page.locator('.bell-link').click();
  const notice = page.locator('#notices li', { hasText: `Course assigned: ${title}` });
  await expect(notice).toContainText('Grace Porter assigned this course to you.');
  await page.locator('#read-all').click();
  await expect(page.locator('#notice-count')).toHaveCount(0);
  await notice.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await page.getByRole('link', { name: 'Start the course' }).click();
  await expect(page.locator('#lesson strong')).toHaveText('Rescuer');
});

test('a learner cannot open the course editor', async ({ page }) => {
  await signIn(page, 'tom@globalport.example');
  await expect(page.getByRole('heading', { name: /^Welcome/ })).toBeVisible();
  await page.goto('/courses');
  await expect(page.locator('#course-editor')).toHaveCount(0);
  const r = await page.goto('/course-editor');
  expect(r!.status()).toBe(403);
});
