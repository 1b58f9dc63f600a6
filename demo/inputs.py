"""What the generators make for each app's part of the demo, by the part's key.

A part's `load(context)` asks `context.inputs(key)`: its files as `(source, path)` pairs in
load order, or, for a part that needs more than files, the object its app declares
(`arrs.demo.ArrsDemo`, `metrics.demo.DemoBaseline`). The files are written when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from arrs.demo import ArrsDemo, DemoPeople, DemoPlanRound, DemoPlanUpload, WorkbookFill
from demo import arrs as generated
from demo import gpad
from demo.generator import SOURCE_GPAD, demo_files_write
from demo.structure import DemoStructure
from metrics.demo import DemoBaseline

# The demo's GPAD starts in August 2024, long after the default 2019 baseline: its ICB
# managers compare against October 2024, the first autumn in the data.
DEMO_BASELINE = dt.date(2024, 10, 1)


def register_files(context) -> tuple:
    """The ODS files, the PCN memberships, the GPAD mapping and the list sizes."""
    return demo_files_write(out_dir=context.out_dir, include_gpad=False).files


def gpad_files(context) -> tuple:
    if not context.appointments:
        return ()
    zips = gpad.demo_gpad_write(out_dir=context.out_dir, structure=context.structure)
    return tuple((SOURCE_GPAD, path) for path in zips)


def baseline_choice(context) -> DemoBaseline:
    return DemoBaseline(icb=context.icb(), month=DEMO_BASELINE, user=context.user("icb.manager"))


def arrs_demo(context) -> ArrsDemo:
    """Allocations, a quarterly NWRS census and monthly claims as files, and two rounds of
    plans from every PCN. August: all accepted. October: most accepted, the demo PCN
    manager's returned with a comment, two awaiting review, one resubmitted."""
    structure = context.structure
    people = DemoPeople(
        icb_manager=context.user("icb.manager"),
        pcn_manager=context.user("pcn.manager"),
        own_pcn=context.own_pcn(),
    )
    rounds = tuple(
        _plan_round(structure, label, as_at, people.own_pcn.code)
        for label, as_at in generated.ROUNDS
    )
    return ArrsDemo(
        files=_arrs_files_write(context),
        uplifts=generated.DEMO_UPLIFTS,
        people=people,
        icb=context.icb(),
        rounds=rounds,
    )


def _arrs_files_write(context) -> tuple:
    structure, out_dir = context.structure, context.out_dir / "workforce"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "arrs-allocations.csv"
    files = [("arrs-allocations", generated.allocations_write(path, structure))]
    for index, census in enumerate(generated.CENSUSES):
        path = out_dir / f"PCN_Individual_Level_{census:%b%Y}.csv"
        files.append(("nwrs-pcn", generated.nwrs_write(path, structure, index)))
    files.append(("arrs-claims", generated.claims_write(out_dir / "arrs-claims.csv", structure)))
    return tuple(files)


def _plan_round(structure: DemoStructure, label: str, as_at: dt.date, own_code: str):
    outcomes = _outcomes(structure, label, own_code)
    plans = []
    for pcn in structure.pcns:
        outcome = outcomes[pcn.code]
        versions = (_fill(structure, pcn.code, label),)
        if outcome == "resubmit":
            versions = (_fill(structure, pcn.code, label, one_role_short=True), *versions)
        review = {"accept": "accept", "resubmit": "accept", "return": "return"}.get(outcome)
        plans.append(DemoPlanUpload(pcn_code=pcn.code, versions=versions, review=review))
    return DemoPlanRound(label=label, as_at=as_at, plans=tuple(plans))


def _outcomes(structure: DemoStructure, label: str, own_code: str) -> dict[str, str]:
    codes = [p.code for p in sorted(structure.pcns, key=lambda p: p.name)]
    if label == "August":
        return dict.fromkeys(codes, "accept")
    others = [code for code in codes if code != own_code]
    outcomes = dict.fromkeys(codes, "accept")
    outcomes[own_code] = "return"
    outcomes[others[-1]] = outcomes[others[-2]] = "await"
    outcomes[others[0]] = "resubmit"
    return outcomes


def _fill(
    structure: DemoStructure, pcn_code: str, label: str, *, one_role_short: bool = False
) -> WorkbookFill:
    """The plan template filled with the PCN's figures for the round, worked out when the
    plan is made (a plan already made is not worked out again)."""

    def fill(template: bytes, names: dict[str, str]) -> bytes:
        plan = generated.demo_plan(structure, pcn_code, label)
        if one_role_short:
            plan = generated.DemoPlan(plan.as_at, dict(list(plan.figures.items())[:-1]))
        return generated.plan_workbook_fill(template, plan, names)

    return fill


INPUTS: dict[str, Callable[[Any], Any]] = {
    "register": register_files,
    "gpad": gpad_files,
    "baseline": baseline_choice,
    "arrs": arrs_demo,
}
