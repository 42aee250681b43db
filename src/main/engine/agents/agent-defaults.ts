import type { AgentChoice, SessionType, Settings } from '../../../shared/domain';
import { sessionTypeTemplates } from '../sessions/session-types';
import { SHELL_AGENT, findAgentDef } from './agent-catalog';
import type { DetectedAgent } from './agent-detection';

function where(d: DetectedAgent): string {
  return d.foundIn === 'PATH' ? 'on PATH' : `in ${d.resolvedPath?.replace(/\/[^/]+$/, '') ?? 'an install folder'}`;
}

function installed(detected: DetectedAgent[], id: string): DetectedAgent | undefined {
  return detected.find((d) => d.def.id === id && d.resolvedPath !== null);
}

const nameOf = (id: string) => findAgentDef(id)?.name ?? id;

/**
 * The default program: the setting when it names an installed agent (or the shell), else the
 * first installed agent in catalog order, else the user's shell — always with the reason.
 */
export function resolveDefaultProgram(
  settings: Pick<Settings, 'defaultAgent'>,
  detected: DetectedAgent[],
): AgentChoice {
  const wanted = settings.defaultAgent;
  let note = '';
  if (wanted === SHELL_AGENT) return { agent: SHELL_AGENT, reason: 'default program set to your shell in Settings' };
  if (wanted !== 'auto') {
    const hit = installed(detected, wanted);
    if (hit) return { agent: wanted, reason: `default program set to ${hit.def.name} in Settings` };
    note = `${nameOf(wanted)} (set in Settings) is not installed; `;
  }
  const first = detected.find((d) => d.def.id !== SHELL_AGENT && d.resolvedPath !== null);
  if (first)
    return { agent: first.def.id, reason: `${note}${first.def.name} is the first installed agent (${where(first)})` };
  return {
    agent: SHELL_AGENT,
    reason: `${note}no agent CLI is installed (looked on PATH and in the usual install folders), so your shell`,
  };
}

/** A session type's program on this machine: the type's setting, its preference, else the default program. */
export function resolveTypeAgent(
  type: SessionType,
  settings: Pick<Settings, 'defaultAgent' | 'typeAgents'>,
  detected: DetectedAgent[],
): AgentChoice {
  const notes: string[] = [];
  const override = settings.typeAgents[type];
  if (override) {
    if (override === SHELL_AGENT || installed(detected, override)) {
      return { agent: override, reason: `set for this type in Settings` };
    }
    notes.push(`${nameOf(override)} (set for this type) is not installed`);
  }
  const preferred = sessionTypeTemplates[type].preferredAgent;
  if (preferred) {
    if (installed(detected, preferred)) return { agent: preferred, reason: `this type prefers ${nameOf(preferred)}` };
    notes.push(`${nameOf(preferred)}, which this type prefers, is not installed`);
  }
  const fallback = resolveDefaultProgram(settings, detected);
  const prefix = notes.length ? `${notes.join('; ')}; ` : '';
  return { agent: fallback.agent, reason: `${prefix}default program: ${fallback.reason}` };
}
