import { expect, test } from './fixtures';

test('switching the kernel re-runs the story under that kernel’s code, and the link says so', async ({
  app,
  page,
}) => {
  await app.open('#/access-tracking?variant=aging-window&schedule=canonical&step=end');
  const kernel = page.getByLabel('Kernel version');
  await expect(kernel).toHaveValue('6.12');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-bit');
  await app.shot('access-tracking-aging-window-6.12');

  await kernel.selectOption('7.2');
  await app.ready();
  await expect(page).toHaveURL(/kernel=7\.2/);
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
  // 7.2 ages locklessly with cmpxchg64: the line is in the code pane, linked to v7.2.
  const line = page.locator('.code li', { hasText: 'stays young' });
  await expect(line).toHaveCount(1);
  await expect(line.locator('a')).toHaveAttribute('href', /elixir\.bootlin\.com\/linux\/v7\.2\//);
  await app.shot('access-tracking-aging-window-7.2');

  // The link reproduces it in a fresh page.
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await app.ready();
  await expect(kernel).toHaveValue('7.2');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
});

test('lock rules follow the kernel: messages cite its locking.rst, the declared order is listed', async ({
  app,
  page,
}) => {
  await app.open('#/hotplug-order?variant=inverted&kernel=6.8&schedule=canonical&step=end');
  await expect(
    page.getByTestId('violation').filter({ hasText: 'locking.rst (6.8) says cpus_read_lock' }),
  ).toHaveCount(1);
  await page.getByText('About this scenario').click();
  const order = page.getByTestId('declared-order');
  await expect(order).toContainText('cpus_read_lock → kvm_lock');
  await expect(order).not.toContainText('kvm_usage_lock');
  // 6.12 adds kvm_usage_lock outside cpus_read_lock; 7.2 adds vcpu->mutex outside slots_lock.
  await page.getByLabel('Kernel version').selectOption('7.2');
  await app.ready();
  await expect(order).toContainText('kvm_usage_lock → cpus_read_lock');
  await expect(order).toContainText('vcpu->mutex → kvm->slots_lock');
  // A variant that does not exist in 6.8 is offered, but not in 6.8.
  await page.getByLabel('Variant').selectOption('usage-lock');
  await app.ready();
  await expect(page.getByLabel('Kernel version').locator('option[value="6.8"]')).toBeDisabled();
});

test('a link to a variant in a kernel that lacks it explains why and falls back', async ({
  app,
  page,
}) => {
  await app.open('#/dirty-bit-loss?variant=buggy&kernel=7.2&schedule=canonical&step=0');
  await expect(page.getByRole('alert')).toContainText('dirty-bit-loss is not modelled for 7.2');
  await expect(page.getByRole('alert')).toContainText('Showing the default scenario instead');
});

test('access-tracking: the life cycle is clean, a plain-store restore loses the Dirty state', async ({
  app,
  page,
}) => {
  await app.open('#/access-tracking?variant=lifecycle&schedule=canonical&step=end');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
  await expect(page.getByTestId('spte-G')).toContainText('W=1');
  await app.open('#/access-tracking?variant=non-atomic-restore&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-bit');
  await expect(page.getByTestId('spte-G')).toContainText('W=0');
  await app.shot('access-tracking-non-atomic-restore');
});

test('tlb-flush D2: a flush decided on a stale read misses the fast path’s writable entry', async ({
  app,
  page,
}) => {
  await app.open('#/tlb-flush?variant=stale-decision&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute(
    'data-kind',
    'stale-tlb-write',
  );
  await app.open('#/tlb-flush?variant=reread&schedule=canonical&step=end');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
});

test('tdp-mmu: a fault that walks into FROZEN_SPTE retries; a plain store under the read lock loses Dirty', async ({
  app,
  page,
}) => {
  await app.open('#/tdp-mmu?variant=frozen&schedule=canonical&step=end');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
  await expect(page.locator('.code li', { hasText: 'FROZEN_SPTE' }).first()).toBeVisible();
  await app.shot('tdp-mmu-frozen');
  await app.open('#/tdp-mmu?variant=plain-store&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-bit');
  await expect(page.getByLabel('Kernel version').locator('option[value="7.2"]')).toBeDisabled();
});
