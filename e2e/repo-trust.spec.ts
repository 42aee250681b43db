import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { checkA11y } from './axe';
import { test, expect, screenshotMatrix } from './fixtures';

/** axe on what is shown: every WCAG 2.1 A/AA rule in the light theme, the colour rules in the dark one. */
async function axeBoth(page: Page, screen: string, info: TestInfo): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await checkA11y(page, screen, info);
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page, screen, info, { onlyColours: true });
  await page.emulateMedia({ colorScheme: 'light' });
}

// #11 item 6 in the real app: the repository's own setup script and .worktreeinclude are shown in
// full on the review step; Create waits until the user trusts them; a changed script asks again.
test('repository scripts: shown for review, Create held until trusted, a change asks again', async ({
  page,
  host,
  api,
  tempRepo,
}, info) => {
  test.setTimeout(150_000);
  const repo = await tempRepo({ files: { 'README.md': '# r\n', '.gitignore': '.env\nsetup-ran.txt\n' } });
  mkdirSync(join(repo, '.multisession'));
  writeFileSync(join(repo, '.multisession', 'setup.sh'), 'npm ci --silent\necho prepared > setup-ran.txt\n');
  writeFileSync(join(repo, '.worktreeinclude'), '.env\n');
  writeFileSync(join(repo, '.env'), 'TOKEN=local\n');

  const openReview = async (name: string) => {
    await page.getByTestId('toolbar-new-session').click();
    await page.getByTestId('wizard-repo-path').fill(repo);
    await expect(page.getByTestId('wizard-repo-info')).toBeVisible();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-agent').selectOption('custom');
    await page.getByTestId('wizard-custom-command').fill('bash');
    await page.getByTestId('wizard-name').fill(name);
    for (let i = 0; i < 3; i++) await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('wizard-step-review')).toBeVisible();
  };

  await page.goto(host.url);
  await test.step('untrusted: both files shown in full, Create disabled', async () => {
    await openReview('Trusted run');
    const setup = page.getByTestId('wizard-repo-script-setup-script');
    await expect(setup).toContainText('echo prepared > setup-ran.txt');
    await expect(setup).toContainText('Not trusted');
    await expect(page.getByTestId('wizard-repo-script-worktree-include')).toContainText('.env');
    await expect(page.getByTestId('wizard-review-setup')).toContainText('shown above for trust');
    await expect(page.getByTestId('wizard-create')).toBeDisabled();
    await screenshotMatrix(page, 'wizard-repo-scripts-untrusted');
    await axeBoth(page, 'wizard: repository scripts to trust', info);
  });

  await test.step('Trust: the flags turn trusted, Create runs the script and applies the list', async () => {
    // The file changes behind the page's back: trusting what the page shows (the npm ci version)
    // does not trust what is on disk now — the review reloads with the new content, still untrusted.
    writeFileSync(join(repo, '.multisession', 'setup.sh'), 'echo prepared > setup-ran.txt\n');
    await page.getByTestId('wizard-repo-scripts-trust').click();
    await expect(page.getByTestId('wizard-repo-script-setup-script')).not.toContainText('npm ci');
    await expect(page.getByTestId('wizard-repo-script-setup-script')).toContainText('Not trusted');
    await expect(page.getByTestId('wizard-repo-script-worktree-include')).toContainText('Trusted');
    await expect(page.getByTestId('wizard-create')).toBeDisabled();
    await page.getByTestId('wizard-repo-scripts-trust').click();
    await expect(page.getByTestId('wizard-repo-script-setup-script')).toContainText('Trusted');
    await expect(page.getByTestId('wizard-repo-script-worktree-include')).toContainText('Trusted');
    await expect(page.getByTestId('wizard-create')).toBeEnabled();
    await screenshotMatrix(page, 'wizard-repo-scripts-trusted');
    await page.getByTestId('wizard-create').click();
    await expect
      .poll(async () => (await api.call('sessions.list', {})).find((s) => s.name === 'Trusted run')?.worktreePath ?? '')
      .not.toBe('');
    const s = (await api.call('sessions.list', {})).find((x) => x.name === 'Trusted run');
    expect(readFileSync(join(s?.worktreePath ?? '', 'setup-ran.txt'), 'utf8')).toBe('prepared\n');
    expect(readFileSync(join(s?.worktreePath ?? '', '.env'), 'utf8')).toBe('TOKEN=local\n');
  });

  await test.step('a changed script asks again; Skip them creates without it', async () => {
    writeFileSync(join(repo, '.multisession', 'setup.sh'), 'echo changed > setup-ran.txt\n');
    // The wizard closes itself once the first create has finished; opening it before that raced with the close.
    await expect(page.getByTestId('wizard-step-review')).toBeHidden();
    await openReview('Skipped run');
    await expect(page.getByTestId('wizard-repo-script-setup-script')).toContainText('Not trusted');
    await expect(page.getByTestId('wizard-repo-script-setup-script')).toContainText('echo changed');
    await expect(page.getByTestId('wizard-repo-script-worktree-include')).toContainText('Trusted');
    await expect(page.getByTestId('wizard-create')).toBeDisabled();
    await page.getByTestId('wizard-repo-scripts-skip').click();
    await expect(page.getByTestId('wizard-repo-scripts-use')).toBeVisible();
    await expect(page.getByTestId('wizard-create')).toBeEnabled();
    await page.getByTestId('wizard-create').click();
    await expect
      .poll(async () => (await api.call('sessions.list', {})).find((s) => s.name === 'Skipped run')?.worktreePath ?? '')
      .not.toBe('');
    const s = (await api.call('sessions.list', {})).find((x) => x.name === 'Skipped run');
    expect(() => readFileSync(join(s?.worktreePath ?? '', 'setup-ran.txt'))).toThrow();
  });

  await test.step('Settings lists what was trusted; Revoke takes it back', async () => {
    await page.getByTestId('toolbar-settings').click();
    const rows = page.getByTestId('settings-trusted-script');
    // The npm ci version the first click trusted, the version on disk trusted after it, the .worktreeinclude.
    await expect(rows).toHaveCount(3);
    await page.getByTestId('settings-trusted-scripts').scrollIntoViewIfNeeded();
    await screenshotMatrix(page, 'settings-trusted-scripts');
    await axeBoth(page, 'settings: trusted repository scripts', info);
    await rows
      .filter({ hasText: '.worktreeinclude' })
      .getByRole('button', { name: /Revoke/ })
      .click();
    await expect(rows).toHaveCount(2);
    expect((await api.call('repos.trustedScripts', {})).map((t) => t.kind)).toEqual(['setup-script', 'setup-script']);
  });
});

test('Settings shows the environment allow-list; the wizard passes extra variables per session', async ({
  page,
  host,
  api,
  tempRepo,
}, info) => {
  test.setTimeout(120_000);
  const repo = await tempRepo();
  await page.goto(host.url);
  await page.getByTestId('toolbar-settings').click();
  const env = page.getByTestId('settings-environment');
  await expect(page.getByTestId('settings-env-names')).toContainText('PATH');
  await expect(page.getByTestId('settings-env-names')).toContainText('HOME');
  await env.scrollIntoViewIfNeeded();
  await screenshotMatrix(page, 'settings-environment');
  await axeBoth(page, 'settings: environment', info);

  await page.getByTestId('toolbar-new-session').click();
  await page.getByTestId('wizard-repo-path').fill(repo);
  await expect(page.getByTestId('wizard-repo-info')).toBeVisible();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-agent').selectOption('custom');
  await page.getByTestId('wizard-custom-command').fill('bash');
  await page.getByTestId('wizard-name').fill('With token');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-passenv').fill('9BAD');
  await expect(page.getByTestId('wizard-passenv-problem')).toContainText('not a variable name');
  await page.getByTestId('wizard-passenv').fill('GITHUB_TOKEN, AWS_PROFILE');
  await expect(page.getByTestId('wizard-passenv-problem')).toHaveCount(0);
  await screenshotMatrix(page, 'wizard-passenv');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-create').click();
  await expect
    .poll(async () => (await api.call('sessions.list', {})).find((s) => s.name === 'With token')?.passEnv ?? [])
    .toEqual(['GITHUB_TOKEN', 'AWS_PROFILE']);
  // The session's detail says it gets more than the allow-list, and which.
  await page.getByText('With token', { exact: true }).first().click();
  const badge = page.getByTestId('detail-passenv');
  await expect(badge).toHaveText('+2 host variables');
  await expect(badge).toHaveAttribute('title', /GITHUB_TOKEN, AWS_PROFILE/);
  await screenshotMatrix(page, 'detail-passenv');
});
