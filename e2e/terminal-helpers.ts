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
