"""Writes for ARRS workforce records. Keyword-only, typed, named ``<thing>_<verb>``.

- ``plans``: upload a workforce plan, confirm it for a round, accept or return it.
- ``records``: what ICB managers keep by hand (amounts, allocations, rounds, role mapping, the
  ICB's role aliases, the ICB's own in-post totals).
- ``loads``: what the import sources write (allocations, staff in post, NWRS, claims).
"""

from arrs.services.loads import (
    allocations_write,
    claims_write,
    in_post_counts_write,
    nwrs_staff_counts_write,
)
from arrs.services.plans import (
    PlanUpload,
    workforce_plan_review,
    workforce_plan_submit,
    workforce_plan_template,
    workforce_plan_upload,
)
from arrs.services.records import (
    allocation_set,
    icb_in_post_set,
    nwrs_role_mapping_set,
    plan_round_create,
    plan_round_set_open,
    reimbursement_amounts_add,
    role_alias_remove,
    role_alias_set,
)

__all__ = [
    "PlanUpload",
    "allocation_set",
    "allocations_write",
    "claims_write",
    "icb_in_post_set",
    "in_post_counts_write",
    "nwrs_role_mapping_set",
    "nwrs_staff_counts_write",
    "plan_round_create",
    "plan_round_set_open",
    "reimbursement_amounts_add",
    "role_alias_remove",
    "role_alias_set",
    "workforce_plan_review",
    "workforce_plan_submit",
    "workforce_plan_template",
    "workforce_plan_upload",
]
