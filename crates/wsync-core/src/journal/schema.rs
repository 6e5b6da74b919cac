//! The journal's schema, one migration per version.

/// Marks the file as ours in the SQLite header (`PRAGMA application_id`): "wsyj".
pub(super) const APPLICATION_ID: i64 = 0x7773_796a;

/// The schema, one step per version: `MIGRATIONS[n]` takes the file from
/// `user_version` n to n + 1. Append new steps; never edit a released one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    "
    CREATE TABLE runs (
        id                INTEGER PRIMARY KEY,
        folder            TEXT NOT NULL,
        trigger_name      TEXT NOT NULL,
        started_at        TEXT NOT NULL,
        finished_at       TEXT,
        result            TEXT,
        to_local_copied   INTEGER NOT NULL DEFAULT 0,
        to_local_deleted  INTEGER NOT NULL DEFAULT 0,
        to_remote_copied  INTEGER NOT NULL DEFAULT 0,
        to_remote_deleted INTEGER NOT NULL DEFAULT 0,
        error             TEXT,
        duration_ms       INTEGER
    );
    CREATE INDEX runs_folder_started ON runs (folder, started_at);
    CREATE INDEX runs_started ON runs (started_at);

    CREATE TABLE changes (
        id        INTEGER PRIMARY KEY,
        run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        folder    TEXT NOT NULL,
        path      TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('toLocal', 'toRemote')),
        action    TEXT NOT NULL CHECK (action IN ('copied', 'deleted')),
        size      INTEGER,
        at        TEXT NOT NULL
    );
    CREATE INDEX changes_folder_at ON changes (folder, at);
    CREATE INDEX changes_at ON changes (at);
    CREATE INDEX changes_run ON changes (run_id);

    CREATE TABLE conflicts (
        id           INTEGER PRIMARY KEY,
        folder       TEXT NOT NULL,
        path         TEXT NOT NULL,
        local_copy   TEXT NOT NULL,
        remote_copy  TEXT NOT NULL,
        local_size   INTEGER,
        local_mtime  TEXT,
        remote_size  INTEGER,
        remote_mtime TEXT,
        policy       TEXT NOT NULL,
        found_at     TEXT NOT NULL,
        resolved_at  TEXT,
        resolution   TEXT
    );
    CREATE UNIQUE INDEX conflicts_open_unique
        ON conflicts (folder, path, local_copy, remote_copy) WHERE resolved_at IS NULL;
    CREATE INDEX conflicts_folder_found ON conflicts (folder, found_at);

    CREATE TABLE blocked (
        id         INTEGER PRIMARY KEY,
        folder     TEXT NOT NULL,
        reason     TEXT NOT NULL,
        message    TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at   TEXT,
        run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL
    );
    CREATE UNIQUE INDEX blocked_one_open ON blocked (folder) WHERE ended_at IS NULL;
    CREATE INDEX blocked_folder_started ON blocked (folder, started_at);
    ",
];
