"""Accent-insensitive name search on PostgreSQL: unaccent + pg_trgm and a trigram index over
lower(f_unaccent(full_name)). `unaccent()` itself is only STABLE, so an IMMUTABLE wrapper with an
explicit dictionary is what an index may use. Other databases search the `name_search` column
and need nothing here."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
    "CREATE INDEX IF NOT EXISTS person_name_unaccent_trgm_idx "
    "ON subjects_person USING gin (lower(f_unaccent(full_name)) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_name_unaccent_trgm_idx",
    "DROP FUNCTION IF EXISTS f_unaccent(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
