"""Name search on PostgreSQL reads the normalised `name_search` column, as every other database
does (one normalisation, `subjects.text.normalise_name`, on both sides), through a trigram index
over that column. The index over lower(f_unaccent(full_name)) of migration 0002 is dropped: the
planner had no statistics on that expression, so a two-letter search ("ly") took the trigram
index over the whole table and re-checked every row through unaccent (≈ 170 ms at 100,000
persons) instead of narrowing to the commune's villages first (≈ 1 ms)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_name_search_trgm_idx ON subjects_person USING gin (name_search gin_trgm_ops)",
    "DROP INDEX IF EXISTS person_name_unaccent_trgm_idx",
    "DROP FUNCTION IF EXISTS f_unaccent(text)",
]
BACKWARD = [
    "CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
    "CREATE INDEX IF NOT EXISTS person_name_unaccent_trgm_idx "
    "ON subjects_person USING gin (lower(f_unaccent(full_name)) gin_trgm_ops)",
    "DROP INDEX IF EXISTS person_name_search_trgm_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("subjects", "0009_drugtest_date_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
