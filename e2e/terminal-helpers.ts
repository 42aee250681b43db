import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** The text xterm's DOM renderer drew for a session's terminal. */
export function terminalRows(page: Page, sessionId: string) {
  return page.getByTestId(`terminal-${sessionId}`).locator('.xterm-rows');
}

/** Opens the app, shows the session's tab and puts the keyboard focus in its terminal. */
export async function openTerminalTab(page: Page, url: string, sessionId: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId(`sidebar-session-${sessionId}`).click();
  await expect(page.getByTestId(`terminal-${sessionId}`)).toBeVisible();
  await page.getByTestId(`terminal-${sessionId}`).locator('.xterm').click();
}

/** A tmux server of its own (socket `socket`, no config), so a test never touches the user's tmux. */
export function tmux(socket: string, ...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

/** Selects the whole of a session's terminal, scrollback included; Select all copies on select. */
export async function selectWholeTerminal(page: Page, sessionId: string): Promise<void> {
  await page.getByTestId(`terminal-${sessionId}`).locator('.xterm').click();
  await page.keyboard.press('Alt+Shift+A');
}

/** The text on the clipboard (the page needs the clipboard-read permission). */
export function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

/**
 * Selects the whole of a session's terminal and expects its text to hold `<prefix>-1…count`,
 * each once and in order.
 */
export async function expectEveryLineOnce(page: Page, sessionId: string, prefix: string, count: number): Promise<void> {
  await selectWholeTerminal(page, sessionId);
  await expect
    .poll(async () => inOrderOnce(await clipboardText(page), prefix, count), { timeout: 15_000 })
    .toBe('every line, in order, once');
}

/** Whether a terminal's text holds `<prefix>-1…count`, each once and in order — or what is wrong. */
function inOrderOnce(text: string, prefix: string, count: number): string {
  const numbers = text
    .split('\n')
    .map((line) => new RegExp(`^${prefix}-(\\d+)\\s*$`).exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const wrong = numbers.findIndex((n, i) => n !== i + 1);
  if (wrong >= 0) return `line ${wrong + 1} of the text is ${prefix}-${numbers[wrong]}`;
  return numbers.length === count ? 'every line, in order, once' : `${numbers.length} of ${count} lines`;
}

/**
 * The WCAG contrast ratio between the colour of the text `text` is drawn in (the innermost element
 * of the terminal's rows holding it) and the terminal's background: 1 (unreadable) to 21.
 */
export async function terminalTextContrast(page: Page, sessionId: string, text: string): Promise<number> {
  return page.getByTestId(`terminal-${sessionId}`).evaluate((root, wanted) => {
    const rows = root.querySelector('.xterm-rows');
    if (!rows) throw new Error('no terminal rows');
    const holders = Array.from(rows.querySelectorAll('*')).filter((el) => el.textContent?.includes(wanted));
    const innermost = holders.find((el) => !Array.from(el.children).some((c) => c.textContent?.includes(wanted)));
    if (!innermost) throw new Error(`"${wanted}" is not on the terminal's screen`);
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const fg = luminance(rgb(getComputedStyle(innermost).color));
    // The background drawn behind it: the nearest element, itself or up, with an opaque one.
    let under: Element | null = innermost;
    const opaque = (el: Element) => !/^(transparent|rgba\(.*,\s*0\))$/.test(getComputedStyle(el).backgroundColor);
    while (under && !opaque(under)) under = under.parentElement;
    const bg = luminance(rgb(getComputedStyle(under ?? document.body).backgroundColor));
    return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }, text);
}
