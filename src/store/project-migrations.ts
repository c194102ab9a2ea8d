import type { Db, Migration } from './database.js'

/** Version 1: the board: features and the dependencies between them. */
function createFeatureTables(db: Db): void {
  db.exec(`
    CREATE TABLE features (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      priority INTEGER NOT NULL,
      category TEXT NOT NULL,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      steps TEXT NOT NULL DEFAULT '[]',
      state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending','in_progress','passing','failing','needs_human','skipped')),
      attempts INTEGER NOT NULL DEFAULT 0,
      last_verified_at INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX ix_features_state ON features(state);
    CREATE INDEX ix_features_priority ON features(priority, id);

    -- depends_on has no foreign key on purpose: an imported board may name ids that do not exist;
    -- the scheduler reports those as unsatisfiable instead of losing them.
    CREATE TABLE feature_dependencies (
      feature_id INTEGER NOT NULL REFERENCES features(id) ON DELETE CASCADE,
      depends_on INTEGER NOT NULL,
      PRIMARY KEY (feature_id, depends_on)
    ) WITHOUT ROWID;
    CREATE INDEX ix_dependencies_depends_on ON feature_dependencies(depends_on);
  `)
}

/** Version 1: who works on what: claims with leases, and the notes agents and people leave on a feature. */
function createWorkTables(db: Db): void {
  db.exec(`
    CREATE TABLE claims (
      feature_id INTEGER PRIMARY KEY REFERENCES features(id) ON DELETE CASCADE,
      agent_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('coding','testing')),
      claimed_at INTEGER NOT NULL,
      lease_until INTEGER NOT NULL,
      prior_state TEXT NOT NULL,
      -- what the agent reported but the orchestrator has not verified yet: 'passing' or NULL
      reported TEXT
    );
    CREATE INDEX ix_claims_agent ON claims(agent_id);
    CREATE INDEX ix_claims_lease ON claims(lease_until);

    CREATE TABLE notes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      feature_id INTEGER NOT NULL REFERENCES features(id) ON DELETE CASCADE,
      author TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('note','evidence','question','answer')),
      text TEXT NOT NULL,
      data TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX ix_notes_feature ON notes(feature_id, id);
  `)
}

/** Version 1: what happened: the event log, runs and agent sessions. */
function createRunTables(db: Db): void {
  db.exec(`
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      type TEXT NOT NULL,
      body TEXT NOT NULL
    );

    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      started_at INTEGER NOT NULL,
      finished_at INTEGER,
      status TEXT NOT NULL,
      reason TEXT,
      options TEXT NOT NULL DEFAULT '{}'
    );

    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      run_id TEXT,
      agent_id TEXT NOT NULL,
      role TEXT NOT NULL,
      feature_ids TEXT NOT NULL DEFAULT '[]',
      model TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      finished_at INTEGER,
      outcome TEXT,
      input_tokens INTEGER NOT NULL DEFAULT 0,
      output_tokens INTEGER NOT NULL DEFAULT 0,
      cache_read_tokens INTEGER NOT NULL DEFAULT 0,
      cache_write_tokens INTEGER NOT NULL DEFAULT 0,
      cost_usd REAL NOT NULL DEFAULT 0
    );
    CREATE INDEX ix_sessions_run ON sessions(run_id);
  `)
}

/** Version 1: one orchestrator per project (its lock) and the project settings. */
function createProjectTables(db: Db): void {
  db.exec(`
    -- one orchestrator per project: a single row with owner and lease
    CREATE TABLE orchestrator_lock (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      owner TEXT NOT NULL,
      pid INTEGER NOT NULL,
      host TEXT NOT NULL,
      acquired_at INTEGER NOT NULL,
      lease_until INTEGER NOT NULL
    );

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `)
}

/** Version 2: chat conversations and their messages. */
function createChatTables(db: Db): void {
  db.exec(`
    CREATE TABLE chat_conversations (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('spec','expand','assistant')),
      title TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX ix_chat_conversations_kind ON chat_conversations(kind, updated_at);

    CREATE TABLE chat_messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      conversation_id INTEGER NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('user','assistant','system')),
      content TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX ix_chat_messages_conversation ON chat_messages(conversation_id, id);
  `)
}

/** Version 3: run windows. */
function createScheduleTables(db: Db): void {
  db.exec(`
    -- run windows: weekdays and a local start time in an IANA zone, with the run's options
    CREATE TABLE schedules (
      id TEXT PRIMARY KEY,
      enabled INTEGER NOT NULL DEFAULT 1,
      days TEXT NOT NULL,
      start TEXT NOT NULL,
      duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
      time_zone TEXT NOT NULL,
      concurrency INTEGER NOT NULL DEFAULT 3,
      options TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `)
}

/**
 * Schema of the per-project database `<project>/.autocoder/autocoder.db`. Append new migrations
 * with the next number; never edit one that has shipped, nor the SQL of its step functions above
 * (the upgrade tests compare the schema they build with frozen fixtures).
 */
export const projectMigrations: Migration[] = [
  {
    version: 1,
    name: 'features, dependencies, claims, notes, events, runs, sessions, settings',
    up: (db) => {
      createFeatureTables(db)
      createWorkTables(db)
      createRunTables(db)
      createProjectTables(db)
    },
  },
  {
    version: 2,
    name: 'chat conversations and messages',
    up: createChatTables,
  },
  {
    version: 3,
    name: 'schedules',
    up: createScheduleTables,
  },
]
