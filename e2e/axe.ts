import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const reportDir = join(__dirname, '..', 'reports');

/**
 * Runs axe-core (WCAG 2.1 A/AA rules, or only the colour rules) on what the page shows now, prints one line per screen and
 * theme with every violation found, appends the result to reports/axe.jsonl, and fails on any
 * serious or critical violation.
 */
export async function checkA11y(
  page: Page,
  screen: string,
  info: TestInfo,
  opts: { onlyColours?: boolean } = {},
): Promise<void> {
  const scheme = await page.evaluate(() => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  const builder = new AxeBuilder({ page });
  // A theme changes colours only: the second theme of a screen needs only the contrast rules.
  const result = await (
    opts.onlyColours
      ? builder.withRules(['color-contrast', 'link-in-text-block'])
      : builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
  ).analyze();
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? 'unknown',
    nodes: v.nodes.length,
    help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const what = opts.onlyColours ? 'contrast rules' : 'WCAG 2.1 A/AA rules';
  const line = `axe ${screen} [${scheme}, ${what}]: ${result.passes.length} rules pass, ${violations.length} violations (${blocking.length} serious/critical)`;
  console.log(line);
  for (const v of violations) console.log(`  - ${v.impact} ${v.id} ×${v.nodes}: ${v.help} — ${v.targets.join(' | ')}`);
  info.annotations.push({ type: 'axe', description: line });
  mkdirSync(reportDir, { recursive: true });
  appendFileSync(
    join(reportDir, 'axe.jsonl'),
    `${JSON.stringify({ screen, scheme, passes: result.passes.length, violations })}\n`,
  );
  expect.soft(blocking, `${screen} [${scheme}] has serious or critical accessibility violations`).toEqual([]);
}
