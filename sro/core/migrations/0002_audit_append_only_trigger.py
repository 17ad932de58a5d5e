"""On PostgreSQL, a trigger refuses UPDATE and DELETE on audit events."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION sro_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused on event %)', TG_OP, OLD.seq;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS sro_audit_append_only ON core_auditevent;
CREATE TRIGGER sro_audit_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION sro_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS sro_audit_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS sro_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_audit_event")]
    operations = [migrations.RunPython(forwards, backwards)]
