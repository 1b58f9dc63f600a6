"""The board pack now belongs to the board (board/migrations/0001_initial.py): taken out of
core's state only, so its table and rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_audit_event"),
        ("board", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="BoardPack")],
            database_operations=[],
        ),
    ]
