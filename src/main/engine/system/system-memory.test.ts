import { describe, expect, it } from 'vitest';
import { parseMeminfo, readSystemMemory } from './system-memory';

describe('system memory', () => {
  it('reads MemAvailable and MemTotal from /proc/meminfo text, in MB', () => {
    const text = 'MemTotal:       24576000 kB\nMemFree:          512000 kB\nMemAvailable:   12288000 kB\n';
    expect(parseMeminfo(text)).toEqual({ availableMb: 12000, totalMb: 24000 });
    expect(parseMeminfo('MemTotal: 100 kB\n')).toBeNull();
  });

  it("gives this machine's figure: available within total", () => {
    const m = readSystemMemory();
    expect(m.source).toBe(process.platform === 'linux' ? 'MemAvailable' : 'freemem');
    expect(m.availableMb).toBeGreaterThan(0);
    expect(m.availableMb).toBeLessThanOrEqual(m.totalMb);
  });
});
