"""Who may see and change what. Every view and API endpoint asks these helpers.

Rules (docs/decisions/0004-roles-and-scope.md):
- An ICB manager reads and edits everything in their ICB, and loads data.
- A PCN manager reads published figures across their ICB (to compare with peers) but edits
  only the PCNs they are named for; drafts belong to a PCN and only its managers see them.
- A board member reads the ICB, never edits, never sees drafts, never loads data.
- Staff admins use the Django admin; they hold no data scope by being staff alone.
- Files are loaded by who may write what they hold (``may_load``): national reference files
  (ODS, GPAD, list sizes, NWRS) by staff or a national data loader, as every ICB reads them;
  files of records an ICB keeps (ARRS allocations, in post, claims) by that ICB's managers,
  for rows inside their ICB only. Import logs are seen as the data is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from core.models import Role, RoleAssignment
from practices.models import Organisation, OrgKind

# What a data source writes, which decides who may load it.
NATIONAL = "national"  # reference data for all England, read by every ICB
ICB_OWNED = "icb"  # records an ICB keeps for its own PCNs and practices


@dataclass(frozen=True)
class Scope:
    """What one signed-in user covers, worked out once per request."""

    user: User | AnonymousUser

    @cached_property
    def assignments(self) -> list[RoleAssignment]:
        if not self.user.is_authenticated:
            return []
        return list(self.user.role_assignments.select_related("organisation"))

    def _org_ids(self, *roles: str) -> frozenset[int]:
        return frozenset(a.organisation_id for a in self.assignments if a.role in roles)

    @cached_property
    def managed_pcn_ids(self) -> frozenset[int]:
        return self._org_ids(Role.PCN_MANAGER)

    @cached_property
    def managed_icb_ids(self) -> frozenset[int]:
        return self._org_ids(Role.ICB_MANAGER)

    @cached_property
    def icb_ids(self) -> frozenset[int]:
        """ICBs whose published figures this user may read."""
        direct = self._org_ids(Role.ICB_MANAGER, Role.BOARD_MEMBER)
        return direct | self._icbs_of_pcns(self.managed_pcn_ids)

    @staticmethod
    def _icbs_of_pcns(pcn_ids: frozenset[int]) -> frozenset[int]:
        if not pcn_ids:
            return frozenset()
        from practices.selectors import ancestor_ids

        return frozenset(ancestor_ids(pcn_ids, OrgKind.ICB))

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(a.role for a in self.assignments)

    @property
    def is_icb_manager(self) -> bool:
        return bool(self.managed_icb_ids)

    @property
    def is_pcn_manager(self) -> bool:
        return bool(self.managed_pcn_ids)

    @property
    def is_board_member(self) -> bool:
        return Role.BOARD_MEMBER in self.roles

    @property
    def has_any_role(self) -> bool:
        return bool(self.assignments)

    @property
    def is_staff(self) -> bool:
        return bool(getattr(self.user, "is_staff", False))

    @property
    def is_national_data_loader(self) -> bool:
        return Role.NATIONAL_DATA in self.roles

    @property
    def may_edit_reference_data(self) -> bool:
        """National files and the tables every ICB shares (the NWRS staff role mapping, role
        aliases, measure definitions): staff and national data loaders only."""
        return self.is_staff or self.is_national_data_loader

    def may_load(self, writes: str) -> bool:
        """Whether this user may load a source that writes ``writes`` (NATIONAL or
        ICB_OWNED); an ICB-owned file is then held to rows in ``writable_org_ids``."""
        if writes == NATIONAL:
            return self.may_edit_reference_data
        return self.is_icb_manager

    @property
    def can_load_data(self) -> bool:
        return self.may_load(NATIONAL) or self.may_load(ICB_OWNED)

    @property
    def can_see_imports(self) -> bool:
        return self.can_load_data

    @cached_property
    def writable_org_ids(self) -> frozenset[int]:
        """Organisations whose ICB-kept records this user may write: their ICBs and
        everything in them."""
        if not self.managed_icb_ids:
            return frozenset()
        from practices.selectors import descendant_ids

        return self.managed_icb_ids | frozenset(descendant_ids(self.managed_icb_ids))

    @cached_property
    def visible_org_ids(self) -> frozenset[int]:
        """Every organisation in, or above, an ICB this user reads."""
        from practices.selectors import ancestor_ids, descendant_ids

        if not self.icb_ids:
            return frozenset()
        below = descendant_ids(self.icb_ids)
        above = ancestor_ids(self.icb_ids, OrgKind.REGION)
        return frozenset(self.icb_ids) | below | frozenset(above)

    @cached_property
    def figure_org_ids(self) -> frozenset[int]:
        """Organisations whose figures this user reads: everything visible and, for anyone
        who reads an ICB, England (national figures are published for all to compare)."""
        if not self.visible_org_ids:
            return frozenset()
        england = Organisation.objects.filter(kind=OrgKind.ENGLAND).values_list("pk", flat=True)
        return self.visible_org_ids | frozenset(england)

    def can_view(self, org: Organisation) -> bool:
        return org.pk in self.visible_org_ids

    def can_edit(self, org: Organisation) -> bool:
        """ICB managers edit within their ICB; PCN managers their PCNs and those PCNs' own
        records, nothing else."""
        if org.pk in self.managed_pcn_ids:
            return True
        return org.pk in self.writable_org_ids

    def can_see_drafts_of(self, pcn: Organisation) -> bool:
        """Drafts belong to one PCN: its own managers and the ICB's managers see them."""
        return self.can_edit(pcn)

    def visible(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        return queryset.filter(pk__in=self.visible_org_ids)


def scope_for(request) -> Scope:
    """The scope of the request's user, cached on the request."""
    scope = getattr(request, "_access_scope", None)
    if scope is None or scope.user is not request.user:
        scope = Scope(request.user)
        request._access_scope = scope
    return scope
