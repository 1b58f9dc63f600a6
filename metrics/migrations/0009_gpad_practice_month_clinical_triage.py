"""Each practice-month keeps its Clinical Triage appointments, counted from the rows already
loaded, so the data quality page reads it there rather than searching the appointments."""

from django.db import migrations, models
from django.db.models import Sum


def triage_count(apps, schema_editor):
    AppointmentCount = apps.get_model("metrics", "AppointmentCount")
    GpadPracticeMonth = apps.get_model("metrics", "GpadPracticeMonth")
    totals = (
        AppointmentCount.objects.filter(
            national_category__dimension="national_category",
            national_category__key="clinical_triage",
        )
        .values("practice_id", "month")
        .annotate(total=Sum("count"))
        .order_by()
    )
    found = {(t["practice_id"], t["month"]): t["total"] for t in totals}
    changed = []
    for row in GpadPracticeMonth.objects.filter(month__in={m for _, m in found}):
        row.clinical_triage = found.get((row.practice_id, row.month), 0)
        if row.clinical_triage:
            changed.append(row)
    GpadPracticeMonth.objects.bulk_update(changed, ["clinical_triage"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0008_appointments_keyed_by_file_row")]

    operations = [
        migrations.AddField(
            model_name="gpadpracticemonth",
            name="clinical_triage",
            field=models.PositiveIntegerField(
                default=0, help_text="Appointments in the national category Clinical Triage."
            ),
        ),
        migrations.RunPython(triage_count, migrations.RunPython.noop),
    ]
