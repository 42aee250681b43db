/**
 * Numbered schema migrations; index i brings the database from user_version i to i + 1.
 * Never edit a released migration — append a new one.
 */
export const migrations: string[] = [
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    repo_path TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_repo ON sessions(repo_path);

  CREATE TABLE scrollback (
    session_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    cols INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE commands (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    batch_id TEXT,
    kind TEXT NOT NULL,
    command TEXT NOT NULL,
    args TEXT NOT NULL,
    shell INTEGER NOT NULL,
    exit_code INTEGER,
    stdout TEXT NOT NULL,
    stderr TEXT NOT NULL,
    truncated INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    timed_out INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX commands_session ON commands(session_id, started_at);
  CREATE INDEX commands_time ON commands(started_at);

  CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE metric_samples (
    t INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    cpu REAL NOT NULL,
    mem REAL NOT NULL,
    status TEXT NOT NULL
  );
  CREATE INDEX metric_samples_t ON metric_samples(t);

  CREATE TABLE session_counters (
    session_id TEXT PRIMARY KEY,
    commands_executed INTEGER NOT NULL DEFAULT 0,
    commands_succeeded INTEGER NOT NULL DEFAULT 0,
    tasks_completed INTEGER NOT NULL DEFAULT 0,
    output_bytes INTEGER NOT NULL DEFAULT 0,
    uptime_ms INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: one row of session counts per status per metrics tick, so the status chart does not need a
  // metric_samples row for every idle session on every tick.
  `
  CREATE TABLE status_counts (
    t INTEGER PRIMARY KEY,
    counts TEXT NOT NULL
  );
  `,
  // 3: fan-out groups (sessions created together, compared side by side) and what review remembers
  // per session (its last merge into the base, its pull request).
  `
  ALTER TABLE sessions ADD COLUMN group_id TEXT;
  UPDATE sessions SET group_id = json_extract(data, '$.groupId') WHERE json_extract(data, '$.groupId') IS NOT NULL;
  CREATE INDEX sessions_group ON sessions(group_id);

  CREATE TABLE review_state (
    session_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 4: per-session port blocks (UNIQUE base: two sessions can never hold the same block) and the
  // token usage read from the agents' own records (one row per agent message, keyed so re-reading a file adds nothing twice).
  `
  CREATE TABLE session_ports (
    session_id TEXT PRIMARY KEY,
    base INTEGER NOT NULL UNIQUE,
    count INTEGER NOT NULL,
    allocated_at INTEGER NOT NULL
  );

  CREATE TABLE usage_records (
    session_id TEXT NOT NULL,
    record_key TEXT NOT NULL,
    agent TEXT NOT NULL,
    t INTEGER NOT NULL,
    model TEXT NOT NULL,
    input INTEGER NOT NULL,
    output INTEGER NOT NULL,
    cache_read INTEGER NOT NULL,
    cache_write INTEGER NOT NULL,
    cost REAL,
    PRIMARY KEY (session_id, record_key)
  );
  CREATE INDEX usage_records_t ON usage_records(t);
  `,
  // 5: the warm worktree pool — worktrees prepared ahead at a base's tip and claimed by creates.
  `
  CREATE TABLE pool_worktrees (
    path TEXT PRIMARY KEY,
    repo_root TEXT NOT NULL,
    base_branch TEXT NOT NULL,
    rev TEXT NOT NULL,
    state TEXT NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    sparse TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE pool_bases (
    repo_root TEXT NOT NULL,
    base_branch TEXT NOT NULL,
    last_used INTEGER NOT NULL,
    PRIMARY KEY (repo_root, base_branch)
  );
  `,
  // 6: repository-provided scripts (setup script, .worktreeinclude) the user reviewed and trusted,
  // by repository and exact content: a changed file has another hash and asks again.
  `
  CREATE TABLE trusted_scripts (
    repo_root TEXT NOT NULL,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    trusted_at INTEGER NOT NULL,
    PRIMARY KEY (repo_root, kind, sha256)
  );
  `,
  // 7: what keeps work from being lost (#16): folders the app created (removal is confined to
  // them), files it placed in a worktree at creation (not the user's work unless edited since),
  // and the processes it started (found again after a crash, pid + start time against pid reuse).
  `
  CREATE TABLE owned_folders (
    path TEXT PRIMARY KEY,
    session_id TEXT,
    repo_root TEXT NOT NULL,
    worktree_root TEXT NOT NULL,
    token TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX owned_folders_session ON owned_folders(session_id);

  CREATE TABLE placed_files (
    session_id TEXT NOT NULL,
    path TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (session_id, path)
  );

  CREATE TABLE process_ledger (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    session_id TEXT,
    batch_id TEXT,
    pid INTEGER NOT NULL,
    start_ticks TEXT,
    boot_id TEXT,
    started_at INTEGER NOT NULL,
    label TEXT NOT NULL
  );
  `,
];
