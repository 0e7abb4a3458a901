/**
 * The tables of `berth.db`. Deployments are rows indexed by app, seq and status, so finding an app's live release or
 * its newest records costs the same with 2,000 records as with none; each row also keeps the whole record as JSON,
 * validated by the contract's schema when read.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS apps (
  server_id TEXT NOT NULL,
  name TEXT NOT NULL,
  rev INTEGER NOT NULL DEFAULT 1,
  doc TEXT NOT NULL,
  PRIMARY KEY (server_id, name)
);
CREATE TABLE IF NOT EXISTS deployments (
  server_id TEXT NOT NULL,
  id TEXT NOT NULL,
  app TEXT NOT NULL,
  seq INTEGER NOT NULL,
  status TEXT NOT NULL,
  queued TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (server_id, id),
  UNIQUE (server_id, app, seq)
);
CREATE INDEX IF NOT EXISTS deployments_by_status ON deployments (server_id, status, app);
CREATE INDEX IF NOT EXISTS deployments_by_queued ON deployments (server_id, queued);
CREATE TABLE IF NOT EXISTS quarantine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  source TEXT NOT NULL,
  content TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS warnings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  path TEXT,
  dismissed INTEGER NOT NULL DEFAULT 0
);
`;
