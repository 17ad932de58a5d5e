"""Audit events carry the id of the key their hash was made with; on PostgreSQL, TRUNCATE is refused.

The row triggers of 0002 do not fire on TRUNCATE. The statement trigger below refuses it unless
the session has set `sro.allow_audit_truncate` to `on`, which only the test suite does (to empty
its own test database between tests); production never sets it.
"""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION sro_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('sro.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (TRUNCATE refused)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS sro_audit_no_truncate ON core_auditevent;
CREATE TRIGGER sro_audit_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION sro_audit_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS sro_audit_no_truncate ON core_auditevent;
DROP FUNCTION IF EXISTS sro_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only_trigger")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=12),
        ),
        migrations.RunPython(forwards, backwards),
    ]
