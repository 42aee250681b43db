/** What every scenario gets: the run's size and the synthetic repositories. */
export interface BenchContext {
  quick: boolean;
  /** Temp folder of this run (repositories, data dirs, raw worktrees). */
  root: string;
  repo1k: string;
  repo10k: string;
  log(message: string): void;
  /** `--profile DIR`: where browser scenarios write CPU profiles of their measured phases (else null). */
  profileDir: string | null;
  /** A fresh data dir for one host. */
  newHome(label: string): string;
}

/** Pick the full or the quick size. */
export function size<T>(ctx: BenchContext, full: T, quick: T): T {
  return ctx.quick ? quick : full;
}
