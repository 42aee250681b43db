import { describe, expect, it } from 'vitest';
import type { AgentPreset } from '../../../../shared/domain';
import {
  approvalChoices,
  approvalFromValue,
  approvalValue,
  changeNeedsRestart,
  formatCost,
  formatTokens,
  isApprovalChoice,
} from './approval';

const claude: AgentPreset = {
  id: 'claude',
  name: 'Claude Code',
  command: 'claude',
  promptMode: 'arg',
  promptFlag: null,
  defaultArgs: [],
  installed: true,
  resolvedPath: '/usr/bin/claude',
  foundIn: 'PATH',
  description: '',
  statusHooks: 'claude-settings',
  approvalModes: [{ id: 'acceptEdits', label: 'Accept file edits', args: ['--permission-mode', 'acceptEdits'] }],
  autoYes: true,
};

describe('approval choices', () => {
  it('off, the agent’s own modes from the catalog, then auto-yes; a shell has no auto-yes', () => {
    expect(approvalChoices('claude', claude).map((c) => c.value)).toEqual(['off', 'agent:acceptEdits', 'auto-yes']);
    expect(approvalChoices('shell', undefined).map((c) => c.value)).toEqual(['off']);
    expect(isApprovalChoice('agent:plan', 'claude', claude)).toBe(false);
  });

  it('values round-trip to the contract’s policy', () => {
    for (const p of [
      { policy: 'off', mode: null },
      { policy: 'auto-yes', mode: null },
      { policy: 'agent', mode: 'acceptEdits' },
    ] as const)
      expect(approvalFromValue(approvalValue(p))).toEqual(p);
  });

  it('only a change of the agent’s own mode needs the program to start again', () => {
    const off = { policy: 'off', mode: null } as const;
    const yes = { policy: 'auto-yes', mode: null } as const;
    const edits = { policy: 'agent', mode: 'acceptEdits' } as const;
    expect(changeNeedsRestart(off, yes)).toBe(false);
    expect(changeNeedsRestart(off, edits)).toBe(true);
    expect(changeNeedsRestart(edits, yes)).toBe(true);
    expect(changeNeedsRestart(edits, { policy: 'agent', mode: 'acceptEdits' })).toBe(false);
  });

  it('costs and tokens read at a glance', () => {
    expect([formatCost(null), formatCost(0), formatCost(0.00421), formatCost(0.4182), formatCost(12.5)]).toEqual([
      'no price',
      '$0',
      '$0.0042',
      '$0.418',
      '$12.50',
    ]);
    expect([formatTokens(950), formatTokens(8500), formatTokens(12_345), formatTokens(2_500_000)]).toEqual([
      '950',
      '8.5k',
      '12k',
      '2.50M',
    ]);
  });
});
