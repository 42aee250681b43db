import { test, expect, screenshotMatrix } from './fixtures';

test('the wizard checks every field as it is typed and its review lists exactly what is created', async ({
  page,
  host,
  api,
  tempRepo,
}) => {
  test.setTimeout(150_000);
  const repo = await tempRepo({ files: 2, branches: ['develop', 'ms/login-fix'] });
  await api.call('settings.update', {
    repoSettings: { [repo]: { setupScript: 'true', copyInPatterns: ['.env.repo'] } },
  });
  await page.goto(host.url);
  await page.getByTestId('toolbar-new-session').click();
  const problem = (id: string) => page.getByTestId(`${id}-problem`);

  await test.step('repository: a relative path and a folder that is not a repository are named at once', async () => {
    await page.getByTestId('wizard-repo-path').fill('projects/app');
    await expect(problem('wizard-repo')).toContainText('absolute path');
    await page.getByTestId('wizard-repo-path').fill('/');
    await expect(problem('wizard-repo')).toBeVisible();
    await expect(page.getByTestId('wizard-next')).toHaveAttribute('aria-disabled', 'true');
    await page.getByTestId('wizard-repo-path').fill(repo);
    await expect(page.getByTestId('wizard-repo-info')).toBeVisible();
    await expect(problem('wizard-repo')).toHaveCount(0);
    await page.getByTestId('wizard-next').click();
  });

  await test.step('session: an empty name, an empty command and a program that is not on PATH', async () => {
    await page.getByTestId('wizard-type-code_generation').click();
    await page.getByTestId('wizard-agent').selectOption('custom');
    await page.getByTestId('wizard-custom-command').fill('');
    await expect(page.getByTestId('wizard-program-problem')).toContainText('Type the command to run');
    await page.getByTestId('wizard-name').fill('');
    await expect(problem('wizard-name')).toContainText('Give the session a name');
    await page.getByTestId('wizard-name').fill('Login fix');
    await page.getByTestId('wizard-custom-command').fill('no-such-program-xyz --flag');
    // Only the host knows what is on its PATH: its plan names the problem beside the field.
    await expect(page.getByTestId('wizard-program-problem')).toContainText('was not found on PATH');
    await screenshotMatrix(page, 'wizard-session-problems');
    await page.getByTestId('wizard-custom-command').fill('bash');
    await expect(page.getByTestId('wizard-program-problem')).toHaveCount(0);
    // The derived branch is shown as the host will make it: ms/login-fix exists, so -2.
    await expect(page.getByTestId('wizard-branch-preview')).toContainText('ms/login-fix-2');
    await page.getByTestId('wizard-prompt').fill('make the login test pass');
    await page.getByTestId('wizard-next').click();
  });

  await test.step('workspace: git’s branch rules and taken names', async () => {
    const branch = page.getByTestId('wizard-branch-name');
    await branch.fill('bad name..');
    await expect(problem('wizard-branch-name')).toContainText('spaces');
    await branch.fill('develop');
    await expect(problem('wizard-branch-name')).toContainText('exists already');
    await screenshotMatrix(page, 'wizard-workspace-problems');
    await branch.fill('');
    await page.getByTestId('wizard-next').click();
  });

  await test.step('resources: negative and non-numeric limits are errors, not silently dropped', async () => {
    await page.getByTestId('wizard-memory').fill('-5');
    await expect(problem('wizard-memory')).toContainText('positive');
    await page.getByTestId('wizard-runtime').fill('soon');
    await expect(problem('wizard-runtime')).toContainText('as a number');
    await page.getByTestId('wizard-step-5').click({ force: true });
    await expect(page.getByTestId('wizard-step-resources')).toBeVisible();
    await page.getByTestId('wizard-memory').fill('');
    await page.getByTestId('wizard-runtime').fill('90');
    await page.getByTestId('wizard-next').click();
  });

  const input = {
    name: 'Login fix',
    repoPath: repo,
    type: 'code_generation' as const,
    agent: 'custom',
    program: 'bash',
    prompt: 'make the login test pass',
    limits: { runtimeSec: 5400 },
  };
  const [plan] = await api.call('sessions.plan', input);

  await test.step('review: everything that will be applied, as the host will apply it', async () => {
    await expect(page.getByTestId('wizard-review-copy')).toHaveCount(1);
    await expect(page.getByTestId('wizard-review-copy')).toContainText('ms/login-fix-2');
    await expect(page.getByTestId('wizard-review-copy')).toContainText(plan.program);
    await expect(page.getByTestId('wizard-review-prompt')).toHaveText(plan.prompt);
    await expect(page.getByTestId('wizard-review-limits')).toContainText('memory 4096 MB (type default)');
    await expect(page.getByTestId('wizard-review-limits')).toContainText('runtime 90 min (set here)');
    await expect(page.getByTestId('wizard-review-copyin')).toContainText('.env.repo');
    await expect(page.getByTestId('wizard-review-copyin')).toContainText('this repository’s default');
    await expect(page.getByTestId('wizard-review-setup')).toContainText('true');
    await expect(page.getByTestId('wizard-review-starts')).toContainText('At once');
    await screenshotMatrix(page, 'wizard-review');
    await page.getByTestId('wizard-create').click();
    await expect(page.getByTestId('wizard')).toBeHidden({ timeout: 60_000 });
    const [created] = await api.call('sessions.list', {});
    expect(created).toMatchObject({
      name: plan.name,
      branch: plan.branch,
      program: plan.program,
      prompt: plan.prompt,
      limits: plan.limits,
      priority: plan.priority,
    });
  });
});

test('settings check as they are typed and the host refuses the same', async ({ page, host, api }) => {
  await page.goto(host.url);
  await page.getByTestId('toolbar-settings').click();
  const max = page.getByTestId('settings-max-running');
  await max.fill('0');
  await expect(page.getByTestId('settings-max-running-problem')).toContainText('At least 1');
  await expect(page.getByTestId('settings-save')).toBeDisabled();
  const template = page.getByTestId('settings-branch-template');
  await template.fill('agent/fixed');
  await expect(page.getByTestId('settings-branch-template-problem')).toContainText('needs {name}');
  await screenshotMatrix(page, 'settings-problems');
  await template.fill('agent/{name}');
  await expect(page.getByTestId('settings-branch-example')).toHaveText('agent/fix-login');
  await max.fill('3');
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('✓ Saved')).toBeVisible();
  expect(await api.call('settings.get', {})).toMatchObject({ maxRunning: 3, branchTemplate: 'agent/{name}' });
});
