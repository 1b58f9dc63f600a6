"""Appointments are keyed by their month and the file and row they came from, with no
surrogate id and no other index.

Django cannot change a table's primary key in place, so the table is made again: the new
one is created beside the old, the rows are copied across, the old table is dropped and
the new one takes its name. Columns go widest first, which leaves no padding in a row.
"""

import django.db.models.deletion
from django.db import migrations, models

UNCHECKED = {
    "db_constraint": False,
    "db_index": False,
    "on_delete": django.db.models.deletion.PROTECT,
    "related_name": "+",
}
COLUMNS = (
    "practice_id, status_id, hcp_type_id, mode_id, national_category_id, booking_band_id, "
    "batch_id, source_file_id, month, count, source_row"
)


def _rows_copy(apps, schema_editor, source: str, target: str) -> None:
    source, target = (
        schema_editor.quote_name(apps.get_model("metrics", name)._meta.db_table)
        for name in (source, target)
    )
    schema_editor.execute(f"INSERT INTO {target} ({COLUMNS}) SELECT {COLUMNS} FROM {source}")  # noqa: S608


def rows_copy(apps, schema_editor):
    _rows_copy(apps, schema_editor, "AppointmentCount", "AppointmentCountKeyed")


def rows_copy_back(apps, schema_editor):
    _rows_copy(apps, schema_editor, "AppointmentCountKeyed", "AppointmentCount")


def _names_follow(schema_editor, old: str, new: str) -> None:
    """PostgreSQL keeps the names of a table's key and checks when the table is renamed.
    Either way this runs, the table is called metrics_appointmentcount."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX IF EXISTS {old}_pkey RENAME TO {new}_pkey")
    for column in ("count", "source_row"):
        schema_editor.execute(
            f"ALTER TABLE metrics_appointmentcount "
            f"RENAME CONSTRAINT {old}_{column}_check TO {new}_{column}_check"
        )


def key_name_tidy(apps, schema_editor):
    _names_follow(schema_editor, "metrics_appointmentcountkeyed", "metrics_appointmentcount")


def key_name_back(apps, schema_editor):
    _names_follow(schema_editor, "metrics_appointmentcount", "metrics_appointmentcountkeyed")


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0007_measure_values_month_first"),
        ("practices", "0004_membership_unique_per_basis"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="appointmentcount", name="appointment_month_practice"),
        migrations.RemoveConstraint(
            model_name="appointmentcount", name="appointment_month_is_first"
        ),
        migrations.CreateModel(
            name="AppointmentCountKeyed",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "month",
                        "source_file_id",
                        "source_row",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("practice", models.ForeignKey(to="practices.organisation", **UNCHECKED)),
                ("status", models.ForeignKey(to="metrics.appointmentcategory", **UNCHECKED)),
                ("hcp_type", models.ForeignKey(to="metrics.appointmentcategory", **UNCHECKED)),
                ("mode", models.ForeignKey(to="metrics.appointmentcategory", **UNCHECKED)),
                (
                    "national_category",
                    models.ForeignKey(to="metrics.appointmentcategory", **UNCHECKED),
                ),
                ("booking_band", models.ForeignKey(to="metrics.appointmentcategory", **UNCHECKED)),
                ("batch", models.ForeignKey(to="metrics.importbatch", **UNCHECKED)),
                ("source_file", models.ForeignKey(to="metrics.importfile", **UNCHECKED)),
                ("month", models.DateField()),
                ("count", models.PositiveIntegerField()),
                ("source_row", models.PositiveIntegerField()),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="appointment_month_is_first"
                    )
                ],
            },
        ),
        migrations.RunPython(rows_copy, rows_copy_back),
        migrations.DeleteModel(name="AppointmentCount"),
        migrations.RenameModel(old_name="AppointmentCountKeyed", new_name="AppointmentCount"),
        migrations.RunPython(key_name_tidy, key_name_back),
    ]
