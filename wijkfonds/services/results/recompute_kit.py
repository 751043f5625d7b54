"""The auditor's recompute kit of one export: LEESMIJ.txt, the engine's folder, the pabutools script, the JSON's part.

The steps and the command come from :mod:`.recompute` (one plan for the page, the JSON and
LEESMIJ.txt); this module fills them in from a :class:`~.exports.RoundExport`.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app

from wijkfonds.allocation import Project
from wijkfonds.services.results import engine_source, recompute
from wijkfonds.services.results.exports import RoundExport, district_file_names, selected


def recompute_args(export: RoundExport) -> list[str]:
    """Options for ``python -m wijkfonds.allocation FILES.pb`` that reproduce the published run."""
    inst, run = export.data.instance, export.run
    return recompute.arguments(
        rule=run.rule if run else None,
        completion=run.completion if run else "none",
        time_limit=run.params.get("time_limit") if run else None,
        goal=run.params.get("goal") if run else None,
        budget=inst.budget,
        floors=dict(inst.district_floors),
        min_shares=dict(inst.category_min_share),
        max_shares=dict(inst.category_max_share),
        categories={c for p in inst.projects for c in p.categories},
    )


def recompute_plan(export: RoundExport) -> recompute.Plan | None:
    """The one recompute command of this export (page, JSON and LEESMIJ.txt); None before publication."""
    names = [name for _district, name in district_file_names(export)]
    return recompute.plan(names, recompute_args(export), published=selected(export) is not None)


def pabutools_check(export: RoundExport) -> recompute.PabutoolsCheck | None:
    """Whether pabutools reproduces the published run from the .pb files (None before publication)."""
    inst, run = export.data.instance, export.run
    if run is None or selected(export) is None:
        return None
    used = {c for p in inst.projects for c in p.categories}
    return recompute.pabutools_check(
        rule=run.rule,
        completion=run.completion,
        budget=inst.budget,
        district_total=sum(inst.district_budgets.values()),
        max_shares={c: s for c, s in inst.category_max_share.items() if c in used},
    )


def recompute_json(export: RoundExport) -> dict[str, Any]:
    """The JSON's ``recompute``: the same steps and command as the page and LEESMIJ.txt, the engine, pabutools."""
    plan, check = recompute_plan(export), pabutools_check(export)
    return {
        "command": plan.command if plan else None,
        "argv": list(plan.argv) if plan else None,
        "steps": list(plan.steps) if plan else None,
        "readme": "LEESMIJ.txt",
        "engine": engine_source.info().as_json(),
        "pabutools": None
        if check is None
        else {
            "possible": check.call is not None,
            "requires": recompute.PABUTOOLS,
            "script": recompute.PABUTOOLS_SCRIPT if check.call else None,
            "call": check.call,
            "reasons": [en for _nl, en in check.reasons],
        },
    }


def expected_selection(export: RoundExport) -> list[tuple[str, str, list[Project]]]:
    """(district, .pb file name, funded projects sorted by id as text) per file, as the command should find."""
    chosen = selected(export) or set()
    return [
        (
            d,
            name,
            sorted(
                (p for p in export.data.instance.projects if p.district == d and p.id in chosen), key=lambda p: p.id
            ),
        )
        for d, name in district_file_names(export)
    ]


def readme_text(export: RoundExport) -> str:
    """LEESMIJ.txt: what the zip holds and how to recompute it, in Dutch and then in English."""
    plan, check = recompute_plan(export), pabutools_check(export)
    template = current_app.jinja_env.get_template("audit/leesmij.txt")
    text = template.render(
        export=export,
        rnd=export.round,
        plan=plan,
        check=check,
        engine=engine_source.info(),
        engine_dir=engine_source.ENGINE_DIR,
        pb_dir=recompute.PB_DIR,
        files=district_file_names(export),
        expected=expected_selection(export),
        pabutools=recompute.PABUTOOLS,
        script=recompute.PABUTOOLS_SCRIPT,
        script_text=recompute.pabutools_script(check.call) if check and check.call else "",
        total_budget=export.data.instance.budget,
    )
    text = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def files(export: RoundExport) -> list[tuple[str, str | bytes]]:
    """(name in the zip, content): LEESMIJ.txt, every file of engine/, and the pabutools script when it applies."""
    out: list[tuple[str, str | bytes]] = [("LEESMIJ.txt", readme_text(export))]
    out += engine_source.zip_files(engine_source.info())
    check = pabutools_check(export)
    if check is not None and check.call is not None:
        out.append((recompute.PABUTOOLS_SCRIPT, recompute.pabutools_script(check.call)))
    return out
