import type { Verb } from '../verb';
import { agentsVerb } from './agents';
import { attachVerb } from './attach';
import { batchVerb } from './batch';
import { cleanupVerb } from './cleanup';
import { createVerb } from './create';
import { executeVerb } from './execute';
import { terminateVerb } from './lifecycle';
import { pauseVerb, resumeVerb } from './pause-verbs';
import { recoverVerb } from './recover';
import { hibernateVerb, restartVerb, startVerb, stopVerb, wakeVerb } from './start-stop';
import { renameVerb } from './update';
import { updateVerb } from './update-dispatch';
import { listVerb } from './list';
import { memoryVerb } from './memory';
import { restartHereVerb } from './restart-here';
import { serveVerb } from './serve';
import { statusVerb } from './status';
import { urlVerb } from './url';
import { commitVerb, commitsVerb, diffVerb } from './review-verbs';
import { mergeVerb, prVerb, pushVerb } from './integrate-verbs';
import { compareVerb, conflictsVerb } from './forecast-verbs';

/** Every verb, in the order help lists them. */
export const verbs: readonly Verb[] = [
  createVerb,
  listVerb,
  executeVerb,
  batchVerb,
  statusVerb,
  startVerb,
  stopVerb,
  restartVerb,
  hibernateVerb,
  wakeVerb,
  pauseVerb,
  resumeVerb,
  memoryVerb,
  restartHereVerb,
  renameVerb,
  updateVerb,
  terminateVerb,
  recoverVerb,
  commitsVerb,
  diffVerb,
  commitVerb,
  mergeVerb,
  pushVerb,
  prVerb,
  conflictsVerb,
  compareVerb,
  cleanupVerb,
  attachVerb,
  serveVerb,
  urlVerb,
  agentsVerb,
];

export function findVerb(name: string): Verb | undefined {
  return verbs.find((v) => v.name === name);
}
