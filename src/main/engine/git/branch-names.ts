import { AppError } from '../../../shared/errors';
import type { GitClient } from './git-client';

// The pure naming rules are shared with the renderer (the wizard shows the exact name).
export {
  DEFAULT_BRANCH_TEMPLATE,
  branchClashes,
  branchNameFromTemplate,
  branchSlug,
  firstFreeBranchName,
  withUniqueSuffix,
} from '../../../shared/branch-names';

/** Asks git whether `branch` is a valid branch name (`git check-ref-format --branch`). */
export async function checkRefFormat(git: GitClient, branch: string): Promise<boolean> {
  // A leading '-' would read as an option to later commands; '@{' expands to another branch.
  if (branch.length === 0 || branch.startsWith('-') || branch.includes('@{') || branch === '@') return false;
  const result = await git.exec(null, ['check-ref-format', '--branch', branch]);
  return result.exitCode === 0 && result.stdout.trim() === branch;
}

/** Throws INVALID_BRANCH_NAME unless `branch` is acceptable to git. */
export async function assertValidBranchName(git: GitClient, branch: string): Promise<void> {
  if (await checkRefFormat(git, branch)) return;
  throw new AppError(
    'INVALID_BRANCH_NAME',
    `\`${branch}\` is not a valid branch name — use letters, digits, '-', '_', '.' and '/', and do not start with '-'.`,
    { branch },
  );
}
