"""Load the GPAD category labels and the measure definitions kept in the repo."""

from django.db import migrations


def sync(apps, schema_editor):
    from metrics.reference import gpad_categories_sync, measure_definitions_sync

    gpad_categories_sync(
        apps.get_model("metrics", "AppointmentCategory"), apps.get_model("metrics", "CategoryAlias")
    )
    measure_definitions_sync(apps.get_model("metrics", "MeasureDefinition"))


class Migration(migrations.Migration):
    dependencies = [("metrics", "0002_measuredefinition_appointmentcategory_importfile_and_more")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
