"""Aliases an ICB's managers keep for the ARRS roles (with history); the roles file gains
the names PCNs write for three roles ("First Contact Physiotherapists", "Home/RR Paramedic",
"Clinical Pharmacist Advanced Practitioner")."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def sync(apps, schema_editor):
    from arrs.reference import arrs_roles_sync

    arrs_roles_sync(apps.get_model("arrs", "ArrsRole"), apps.get_model("arrs", "NwrsRoleMapping"))


class Migration(migrations.Migration):
    dependencies = [
        ("arrs", "0003_nwrs_as_published"),
        ("practices", "0004_membership_unique_per_basis"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalRoleAlias",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("alias", models.CharField(max_length=120)),
                (
                    "alias_key",
                    models.CharField(
                        help_text="The alias as compared: case folded.", max_length=120
                    ),
                ),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "icb",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="practices.organisation",
                    ),
                ),
                (
                    "role",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="arrs.arrsrole",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical role alias",
                "verbose_name_plural": "historical role aliases",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="RoleAlias",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("alias", models.CharField(max_length=120)),
                (
                    "alias_key",
                    models.CharField(
                        help_text="The alias as compared: case folded.", max_length=120
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "icb",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="arrs_role_aliases",
                        to="practices.organisation",
                    ),
                ),
                (
                    "role",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="icb_aliases",
                        to="arrs.arrsrole",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "role aliases",
                "ordering": ["role__sort_order", "alias"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("icb", "alias_key"), name="role_alias_one_per_icb"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("alias_key", ""), _negated=True),
                        name="role_alias_not_blank",
                    ),
                ],
            },
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
