/**
 * Published list prices in USD per million tokens (Anthropic, OpenAI and Google price pages,
 * checked 2025-11). Costs shown are estimates from these: subscriptions and discounts differ.
 * First matching pattern wins, so specific names come before families.
 */
export interface Price {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const PRICES_AS_OF = '2025-11';

const table: Array<[RegExp, Price]> = [
  // Anthropic (cache writes are the 5-minute rate).
  [/claude-(opus-4-5|opus-4\.5|4-5-opus)/i, { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
  [/claude-(opus-4|4-opus|3-opus)/i, { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 }],
  [/claude-(sonnet|3-7-sonnet|3-5-sonnet|4-sonnet)/i, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }],
  [/claude-(haiku-4|4-5-haiku)/i, { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 }],
  [/claude-(3-5-haiku|haiku-3-5)/i, { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 }],
  // OpenAI (cached input is the read rate; there is no write charge).
  [/gpt-5(\.\d+)?-nano/i, { input: 0.05, output: 0.4, cacheRead: 0.005, cacheWrite: 0 }],
  [/gpt-5(\.\d+)?-(codex-)?mini/i, { input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0 }],
  [/gpt-5/i, { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 }],
  [/codex-mini/i, { input: 1.5, output: 6, cacheRead: 0.375, cacheWrite: 0 }],
  [/o4-mini/i, { input: 1.1, output: 4.4, cacheRead: 0.275, cacheWrite: 0 }],
  [/\bo3\b|^o3/i, { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0 }],
  [/gpt-4\.1-mini/i, { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0 }],
  [/gpt-4\.1/i, { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0 }],
  [/gpt-4o-mini/i, { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0 }],
  [/gpt-4o/i, { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0 }],
  // Google (prompts up to 200k tokens).
  [/gemini-3-pro/i, { input: 2, output: 12, cacheRead: 0.2, cacheWrite: 0 }],
  [/gemini-2\.5-pro/i, { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 }],
  [/gemini-2\.5-flash-lite/i, { input: 0.1, output: 0.4, cacheRead: 0.01, cacheWrite: 0 }],
  [/gemini-2\.5-flash/i, { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0 }],
  [/gemini-2\.0-flash/i, { input: 0.1, output: 0.4, cacheRead: 0.025, cacheWrite: 0 }],
];

export function priceOf(model: string): Price | null {
  for (const [re, price] of table) if (re.test(model)) return price;
  return null;
}

/** USD for one record's tokens, or null when the model has no known price. */
export function costOf(
  model: string,
  t: { input: number; output: number; cacheRead: number; cacheWrite: number },
): number | null {
  const p = priceOf(model);
  if (!p) return null;
  return (t.input * p.input + t.output * p.output + t.cacheRead * p.cacheRead + t.cacheWrite * p.cacheWrite) / 1e6;
}
