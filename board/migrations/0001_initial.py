"""The board pack moves from core to the board, keeping its table (core_boardpack) and every
row: the model is created here in Django's state only, and core's migration 0006 takes it
out of core's state only. The content type follows, so permissions keep pointing at it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to_board(apps, schema_editor):
    _content_type_move(apps, "core", "board")


def content_type_to_core(apps, schema_editor):
    _content_type_move(apps, "board", "core")


def _content_type_move(apps, old, new):
    """The old content type is renamed (its id, and so its permissions, kept). A content type
    made under the new label meanwhile (by a migrate run between the two) is the duplicate."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    found = ContentType.objects.filter(app_label=old, model="boardpack")
    if not found.exists():
        return
    ContentType.objects.filter(app_label=new, model="boardpack").delete()
    found.update(app_label=new)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_audit_event"),
        ("practices", "0004_membership_unique_per_basis"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BoardPack',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text='The month the pack reports (first day).')),
                        ('rebase', models.DateField(blank=True, help_text='SPC limits recalculated from.', null=True)),
                        ('title', models.CharField(max_length=200)),
                        ('meeting', models.CharField(help_text='The board or committee it goes to.', max_length=200)),
                        ('meeting_date', models.DateField()),
                        ('executive_lead', models.CharField(max_length=200)),
                        ('purpose', models.TextField()),
                        ('ask', models.TextField(help_text='What the board is asked to do.')),
                        ('status', models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Being made'), ('ready', 'Ready'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('progress', models.PositiveSmallIntegerField(default=0, help_text='Per cent done.')),
                        ('stage', models.CharField(blank=True, help_text='What it is doing now.', max_length=100)),
                        ('error', models.TextField(blank=True)),
                        ('pdf', models.FileField(blank=True, upload_to='board-packs/%Y/%m/')),
                        ('pptx', models.FileField(blank=True, upload_to='board-packs/%Y/%m/')),
                        ('xlsx', models.FileField(blank=True, upload_to='board-packs/%Y/%m/')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='practices.organisation')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'core_boardpack',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='board_pack_progress_at_most_100'), models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'running', 'ready', 'failed'])), name='board_pack_status_valid'), models.CheckConstraint(condition=models.Q(('month__day', 1)), name='board_pack_month_is_first')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_board, content_type_to_core),
    ]
