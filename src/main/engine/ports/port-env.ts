import type { PortBlock } from '../../../shared/domain';

/**
 * The variables a session's programs see for its port block. `PORT` is what most dev servers
 * (Next, Vite with --port $PORT, Rails, Express examples) read; the rest name the whole block.
 */
export function portEnv(block: PortBlock): Record<string, string> {
  return {
    PORT: String(block.base),
    MULTISESSION_PORT: String(block.base),
    MULTISESSION_PORT_BASE: String(block.base),
    MULTISESSION_PORT_COUNT: String(block.count),
    MULTISESSION_PORT_RANGE: `${block.base}-${block.base + block.count - 1}`,
  };
}
