"""Optional write-through of records to a SQLite file (``--state-file``), so a long-running emulator
behind the demo keeps its sandbox across restarts. Tokens and counters are not kept: a restarted
emulator looks to clients like a Procore that forgot their token, which they must handle anyway."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from .records import StoredRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    resource TEXT NOT NULL,
    id INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    scope TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    deleted_at REAL,
    PRIMARY KEY (resource, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteStore:
    """Stores records as JSON rows keyed by (resource, id)."""

    def __init__(self, path: str) -> None:
        Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._conn.executescript(_SCHEMA)
        self._conn.commit()

    def load(self) -> tuple[list[StoredRecord], int]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT resource, id, company_id, scope, fields, created_at, updated_at, deleted_at "
                "FROM records ORDER BY id"
            ).fetchall()
            meta = self._conn.execute("SELECT value FROM meta WHERE key = 'next_id'").fetchone()
        records = [
            StoredRecord(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]), r[5], r[6], r[7]) for r in rows
        ]
        return records, int(meta[0]) if meta else 0

    def save(self, records: list[StoredRecord], next_id: int) -> None:
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.resource,
                        r.id,
                        r.company_id,
                        json.dumps(r.scope),
                        json.dumps(r.fields, ensure_ascii=False),
                        r.created_at,
                        r.updated_at,
                        r.deleted_at,
                    )
                    for r in records
                ],
            )
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('next_id', ?)", (str(next_id),))

    def clear(self, next_id: int) -> None:
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM records")
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('next_id', ?)", (str(next_id),))
