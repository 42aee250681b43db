import type { Verb } from '../verb';
import { attachVerb } from './attach';
import { batchVerb } from './batch';
import { cleanupVerb } from './cleanup';
import { createVerb } from './create';
import { executeVerb } from './execute';
import { startVerb, stopVerb, terminateVerb } from './lifecycle';
import { listVerb } from './list';
import { serveVerb } from './serve';
import { statusVerb } from './status';
import { urlVerb } from './url';

/** Every verb, in the order help lists them. */
export const verbs: readonly Verb[] = [
  createVerb,
  listVerb,
  executeVerb,
  batchVerb,
  statusVerb,
  startVerb,
  stopVerb,
  terminateVerb,
  cleanupVerb,
  attachVerb,
  serveVerb,
  urlVerb,
];

export function findVerb(name: string): Verb | undefined {
  return verbs.find((v) => v.name === name);
}
