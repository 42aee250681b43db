import type { RepoScript, RepoScriptKind, TrustedScript } from '../../../shared/repo-scripts';
import { AppError } from '../../../shared/errors';
import type { Database } from '../store/database';
import { readRepoScripts } from './repo-scripts';

/**
 * Which repository-provided scripts the user reviewed and trusted, by repository and exact content
 * (SHA-256). A script that changes has a new hash and is untrusted again — nothing else expires trust.
 */
export class ScriptTrust {
  constructor(private readonly db: Database) {}

  async isTrusted(repoRoot: string, kind: RepoScriptKind, hash: string): Promise<boolean> {
    const row = await this.db.get(
      'SELECT 1 AS ok FROM trusted_scripts WHERE repo_root = ? AND kind = ? AND sha256 = ?',
      [repoRoot, kind, hash],
    );
    return row !== undefined;
  }

  async trust(repoRoot: string, scripts: { kind: RepoScriptKind; sha256: string }[]): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      for (const s of scripts) {
        await tx.run(
          'INSERT OR IGNORE INTO trusted_scripts (repo_root, kind, sha256, trusted_at) VALUES (?, ?, ?, ?)',
          [repoRoot, s.kind, s.sha256, now],
        );
      }
    });
  }

  /** Every trust given, newest first. */
  async list(): Promise<TrustedScript[]> {
    return this.db.all<TrustedScript>(
      'SELECT repo_root AS repoRoot, kind, sha256, trusted_at AS trustedAt FROM trusted_scripts ORDER BY trusted_at DESC, repo_root, kind',
    );
  }

  /** Takes one trust back (nothing happens when it was not given). */
  async revoke(repoRoot: string, kind: RepoScriptKind, hash: string): Promise<void> {
    await this.db.run('DELETE FROM trusted_scripts WHERE repo_root = ? AND kind = ? AND sha256 = ?', [
      repoRoot,
      kind,
      hash,
    ]);
  }

  /** The repository's scripts as they are now, each marked trusted or not. */
  async scripts(repoRoot: string): Promise<RepoScript[]> {
    const found = await readRepoScripts(repoRoot);
    return Promise.all(found.map(async (s) => ({ ...s, trusted: await this.isTrusted(repoRoot, s.kind, s.sha256) })));
  }

  /**
   * Every script a create would run or apply must be trusted in the content read — else
   * UNTRUSTED_SCRIPT carrying each untrusted one's content and hash, so the caller can show it and
   * ask (nothing is created).
   */
  assertTrusted(repoRoot: string, scripts: RepoScript[]): void {
    const untrusted = scripts.filter((s) => !s.trusted);
    if (untrusted.length === 0) return;
    const many = untrusted.length > 1;
    throw new AppError(
      'UNTRUSTED_SCRIPT',
      `${untrusted.map((s) => s.path).join(' and ')} ${many ? 'come' : 'comes'} from the repository and ${
        many ? 'are' : 'is'
      } not trusted in this exact content — review and trust it, or create with the repository's scripts skipped.`,
      { repoRoot, scripts: untrusted.map(({ kind, path, content, sha256 }) => ({ kind, path, content, sha256 })) },
    );
  }
}
