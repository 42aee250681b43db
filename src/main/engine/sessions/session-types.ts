import type { SessionType, SessionTypeInfo } from '../../../shared/domain';

/** A type's defaults before its program is resolved against what is installed (agents/agent-defaults.ts). */
export type SessionTypeTemplate = Omit<SessionTypeInfo, 'agent' | 'agentReason'>;

/**
 * Each session type is a template of defaults the user can override per session. `preferredAgent`
 * null means "the default program"; a type prefers a specific agent only where it adds something
 * (web research wants an agent with built-in web search).
 */
export const sessionTypeTemplates: Record<SessionType, SessionTypeTemplate> = {
  general: {
    type: 'general',
    title: 'General',
    description: 'An agent in its own worktree for everyday tasks: questions, fixes, small features.',
    preferredAgent: null,
    priority: 10,
    limits: { memoryMb: null, runtimeSec: null, commandTimeoutSec: 600 },
    promptPrefix: '',
    skills: [],
    background: false,
  },
  spec_driven: {
    type: 'spec_driven',
    title: 'Spec-driven',
    description:
      'Works from an OpenSpec change: the openspec skill (init, list, validate, show) is ready in the worktree.',
    preferredAgent: null,
    priority: 9,
    limits: { memoryMb: null, runtimeSec: null, commandTimeoutSec: 900 },
    promptPrefix:
      'Follow the OpenSpec workflow: read the specs under openspec/ and keep them valid (openspec validate). ',
    skills: ['openspec'],
    background: false,
  },
  code_generation: {
    type: 'code_generation',
    title: 'Code generation',
    description: 'Focused implementation work: writes code and tests on its own branch, longer command timeouts.',
    preferredAgent: null,
    priority: 10,
    limits: { memoryMb: 4096, runtimeSec: null, commandTimeoutSec: 1800 },
    promptPrefix: 'Implement the following, with tests, committing as you go: ',
    skills: [],
    background: false,
  },
  data_analysis: {
    type: 'data_analysis',
    title: 'Data analysis',
    description:
      'Inspects and analyses data files; the tonl skill converts JSON to TONL to cut the tokens spent reading data.',
    preferredAgent: null,
    priority: 8,
    limits: { memoryMb: 8192, runtimeSec: null, commandTimeoutSec: 1800 },
    promptPrefix: 'Analyse the data described below. Large JSON files can be read as TONL (tonl skill). ',
    skills: ['tonl'],
    background: false,
  },
  web_research: {
    type: 'web_research',
    title: 'Web research',
    description: 'Research and fact-finding with an agent that can browse; writes its notes into the worktree.',
    preferredAgent: 'gemini',
    priority: 7,
    limits: { memoryMb: 2048, runtimeSec: 3600, commandTimeoutSec: 300 },
    promptPrefix: 'Research the following and write your findings with sources to NOTES.md: ',
    skills: [],
    background: false,
  },
  background: {
    type: 'background',
    title: 'Background',
    description: 'Long-running unattended work: no terminal tab opens, lower priority, a runtime limit by default.',
    preferredAgent: null,
    priority: 3,
    limits: { memoryMb: 2048, runtimeSec: 4 * 3600, commandTimeoutSec: 3600 },
    promptPrefix: '',
    skills: [],
    background: true,
  },
};

/** Priority 10 runs at normal niceness (0); priority 1 at the lowest (19). */
export function priorityToNiceness(priority: number): number {
  const p = Math.min(10, Math.max(1, Math.round(priority)));
  return Math.round(((10 - p) * 19) / 9);
}
