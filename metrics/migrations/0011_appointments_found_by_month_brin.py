"""On PostgreSQL the appointments table's (month, file, row) key is no longer a B-tree:
a block range (BRIN) index on the month finds a month's rows instead.

A national month is a million rows appended in file order, so each month fills a run of
pages of its own; a BRIN index records each run's months in a few kilobytes and costs next
to nothing to keep, where the key's B-tree cost more than half as much again as a plain
COPY of the rows (docs/decisions/0013). The key stays the model's: the loader keeps it,
numbering each file's rows and replacing a month whole per practice in one transaction.
``autosummarize`` has autovacuum record each new run of pages as it fills.

Also drops the check that an appointment's month is a 1st: every practice and month the
rows bring has its ``GpadPracticeMonth`` row, written in the same transaction under the
same check, and checking it again on each of a million rows cost a tenth of the COPY.
SQLite keeps its key.
"""

from django.db import migrations

TABLE = "metrics_appointmentcount"
BRIN = "appointment_month_brin"


def key_to_brin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {TABLE}_pkey")
    schema_editor.execute(
        f"CREATE INDEX {BRIN} ON {TABLE} USING brin (month) WITH (autosummarize = on)"
    )


def brin_to_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX {BRIN}")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey "
        f"PRIMARY KEY (month, source_file_id, source_row)"
    )


class Migration(migrations.Migration):
    dependencies = [("metrics", "0010_rollup_members_derived")]

    operations = [
        migrations.RemoveConstraint(
            model_name="appointmentcount", name="appointment_month_is_first"
        ),
        migrations.RunPython(key_to_brin, brin_to_key),
    ]
