"""The site-search index: ``SearchEntry``, and its full-text part for the database in use
(PostgreSQL: a generated tsvector column with a GIN index; SQLite: an FTS5 table and its triggers)."""

from typing import Any

from django.db import migrations, models



# Frozen here (a migration must not change with the code): the statements of each vendor.
TABLE = "library_searchentry"
FTS_TABLE = "library_searchentry_fts"

# The text search configuration of an entry's language (ISO 639-1 code); 'simple' for the others.
PG_CONFIGS: dict[str, str] = {"en": "english", "fr": "french", "es": "spanish"}
PG_CONFIG_CASE = (
    "CASE language "
    + " ".join(f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in PG_CONFIGS.items())
    + " ELSE 'simple'::regconfig END"
)

POSTGRES_FORWARD = [
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector({PG_CONFIG_CASE}, coalesce(title, '')), 'A')
        || setweight(to_tsvector({PG_CONFIG_CASE}, coalesce(text, '')), 'B')
    ) STORED""",
    f"CREATE INDEX library_searchentry_vector_idx ON {TABLE} USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS library_searchentry_vector_idx",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER library_searchentry_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    f"""CREATE TRIGGER library_searchentry_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END""",
    f"""CREATE TRIGGER library_searchentry_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
]
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, text, content='{TABLE}', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
    )""",
    *SQLITE_TRIGGERS,
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_searchentry_ai",
    "DROP TRIGGER IF EXISTS library_searchentry_ad",
    "DROP TRIGGER IF EXISTS library_searchentry_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

FORWARD = {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}
BACKWARD = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("practice", "Practice"),
                            ("offer", "Offer"),
                            ("need", "Need"),
                            ("state", "State"),
                            ("donor", "Donor profile"),
                            ("summary", "Meeting summary"),
                            ("coalition", "Coalition"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField(verbose_name="object")),
                ("ref", models.CharField(blank=True, max_length=100)),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("text", models.TextField(blank=True, verbose_name="text")),
                ("language", models.CharField(blank=True, max_length=2, verbose_name="language")),
                ("pillars", models.CharField(blank=True, max_length=300, verbose_name="pillars")),
                ("states", models.TextField(blank=True, verbose_name="countries")),
                ("updated", models.DateTimeField(verbose_name="updated")),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "ordering": ["kind", "object_id"],
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="search_entry_once")],
            },
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
