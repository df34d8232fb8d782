"""Names the search backends use; the database-specific schema (PostgreSQL's generated tsvector column
and GIN index, SQLite's FTS5 table and triggers) is created by migration ``0002_search_entry`` only on
its own database."""

from __future__ import annotations

TABLE = "library_searchentry"
FTS_TABLE = "library_searchentry_fts"

# The text search configuration of an entry's language (ISO 639-1 code); 'simple' for the others.
PG_CONFIGS: dict[str, str] = {"en": "english", "fr": "french", "es": "spanish"}
PG_SIMPLE = "simple"
