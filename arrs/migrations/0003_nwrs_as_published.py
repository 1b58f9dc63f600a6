"""NWRS staff counts as published: a negative FTE (an adjustment) is kept, and the headcount
may be unknown (contracted services have no identifier). The staff role mapping gains the
roles the published files use, such as 'Pharmacist'; a mapping an ICB manager changed is
left as they left it."""

from django.db import migrations, models


def sync(apps, schema_editor):
    from arrs.reference import arrs_roles_sync

    arrs_roles_sync(apps.get_model("arrs", "ArrsRole"), apps.get_model("arrs", "NwrsRoleMapping"))


class Migration(migrations.Migration):
    dependencies = [("arrs", "0002_reference_data")]

    operations = [
        migrations.RemoveConstraint(model_name="nwrsstaffcount", name="nwrs_staff_count_fte_ok"),
        migrations.AlterField(
            model_name="nwrsstaffcount",
            name="headcount",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
