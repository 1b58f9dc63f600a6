"""Load the ARRS roles, the NWRS staff role mapping and the maximum reimbursable amounts
kept in arrs/data."""

from django.db import migrations


def sync(apps, schema_editor):
    from arrs.reference import arrs_roles_sync, reimbursement_rates_sync

    role_model = apps.get_model("arrs", "ArrsRole")
    arrs_roles_sync(role_model, apps.get_model("arrs", "NwrsRoleMapping"))
    reimbursement_rates_sync(role_model, apps.get_model("arrs", "ReimbursementRate"))


class Migration(migrations.Migration):
    dependencies = [("arrs", "0001_initial")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
