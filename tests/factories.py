"""Factories for tests: an organisation tree, users with roles, list sizes."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import User

from core.models import Role, RoleAssignment
from practices.models import ListSize, Membership, Organisation, OrgKind, relation_for


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("kind", "code")

    kind = OrgKind.PRACTICE
    code = factory.Sequence(lambda n: f"X{n:05d}")
    name = factory.Sequence(lambda n: f"Test Surgery {n}")


def org(kind: str, code: str, name: str | None = None, **extra) -> Organisation:
    return OrganisationFactory(kind=kind, code=code, name=name or f"{kind} {code}", **extra)


def link(
    child: Organisation,
    parent: Organisation,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Membership:
    return Membership.objects.create(
        relation=relation_for(child.kind, parent.kind),
        child=child,
        parent=parent,
        start_date=start,
        end_date=end,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nhs.uk")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()  # keep the password set above, or logins would not match it


def user_with_role(role: str, *orgs: Organisation, username: str | None = None) -> User:
    user = UserFactory(username=username) if username else UserFactory()
    for organisation in orgs:
        RoleAssignment.objects.create(user=user, role=role, organisation=organisation)
    return user


def list_size(practice: Organisation, month: dt.date, patients: int, over_13: int | None = None):
    return ListSize.objects.create(
        practice=practice, month=month, all_patients=patients, patients_13_plus=over_13
    )


__all__ = ["Role", "org", "link", "user_with_role", "list_size", "OrganisationFactory"]
