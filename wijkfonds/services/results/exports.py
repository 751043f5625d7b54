"""Auditor exports of a closed round: CSV, JSON and pabulib ``.pb`` (one file per district).

Everything comes from :func:`~wijkfonds.services.results.runs.round_input`, the same adapter that runs
use, so recomputing from the exports gives the published selection. No personal data:
ballots are anonymous, with a sequential voter number: approval sets, points ballots
(pabulib ``cumulative``, with a ``points`` column) or rankings (``ordinal``, in rank order,
with the score of each rank in ``points``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from wijkfonds.allocation import BallotType
from wijkfonds.allocation.pabulib import PbElection
from wijkfonds.allocation.pabulib_write import election_text
from wijkfonds.common import csvcells
from wijkfonds.common.translation import gettext as _
from wijkfonds.models import AllocationRun, Phase, Round
from wijkfonds.services.audit import anchors
from wijkfonds.services.errors import DomainError
from wijkfonds.services.results.importer import slugify
from wijkfonds.services.results.publication import published_run
from wijkfonds.services.results.runs import RoundInput, canonical_input, round_input

FORMAT = "wijkfonds-round-export/1"


@dataclass(frozen=True)
class RoundExport:
    """A closed round's input and its published run (None before publication)."""

    round: Round
    data: RoundInput
    run: AllocationRun | None


def load(rnd: Round) -> RoundExport:
    """The export of a round whose voting is over; DomainError otherwise."""
    if rnd.phase() != Phase.RESULTS:
        raise DomainError(_("Exports zijn er pas als het stemmen voorbij is."), 409)
    try:
        data = round_input(rnd)
    except Exception as exc:  # AllocationError: inconsistent round data, shown to the auditor
        raise DomainError(str(exc), 409) from None
    return RoundExport(rnd, data, published_run(rnd.id))


def selected(export: RoundExport) -> set[str] | None:
    return set(export.run.result["selected"]) if export.run and export.run.result else None


def _support(export: RoundExport) -> dict[str, int]:
    """Votes per project: approvals, or the points (rank scores) it got, as the rules count them."""
    inst, prof = export.data.instance, export.data.profile
    counts = (
        np.bincount(prof.indices, weights=prof.values, minlength=len(inst.projects)).round().astype(np.int64)
        if prof.indices.size
        else [0] * len(inst.projects)
    )
    return {p.id: int(counts[k]) for k, p in enumerate(inst.projects)}


def _vote_meta(rnd: Round, ballot_type: BallotType) -> dict[str, str]:
    """META that states a points or ranked ballot's rules (pabulib's keys)."""
    if ballot_type == BallotType.CUMULATIVE:
        meta = {"max_sum_points": str(rnd.points_total), "min_length": str(rnd.points_min_plans)}
        if rnd.points_max_per_plan is not None:
            meta["max_points"] = str(rnd.points_max_per_plan)
        return meta
    if ballot_type == BallotType.ORDINAL:
        return {"max_length": str(rnd.ranked_max)}
    return {}


def csv_text(export: RoundExport) -> str:
    """One row per initiative: ids, district, block, theme, cost, votes, result."""
    out = io.StringIO()
    writer = csvcells.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "initiative_id",
            "project_id",
            "title",
            "district",
            "building_block",
            "theme",
            "cost",
            "votes",
            "selected",
            "reason",
        ]
    )
    chosen, support = selected(export), _support(export)
    outcomes = export.run.result["outcomes"] if export.run and export.run.result else {}
    for p in export.data.instance.projects:
        writer.writerow(
            [
                export.data.initiative_of[p.id],
                p.id,
                p.name,
                p.district,
                export.data.block_of[p.id],
                export.data.theme_of[p.id],
                p.cost,
                support[p.id],
                "" if chosen is None else int(p.id in chosen),
                outcomes.get(p.id, {}).get("reason", ""),
            ]
        )
    return out.getvalue()


def district_file_names(export: RoundExport) -> list[tuple[str, str]]:
    """(district, .pb file name) per district with initiatives, in the instance's district order."""
    inst = export.data.instance
    with_projects = {p.district for p in inst.projects}
    return [(d, _pb_name(k, d)) for k, d in enumerate(inst.districts) if d in with_projects]


def _pb_name(k: int, district: str) -> str:
    return f"{k + 1:02d}-{slugify(district)}.pb"


def district_files(export: RoundExport) -> list[tuple[str, str, str]]:
    """(district, file name, .pb text) per district with initiatives, in the instance's district order."""
    inst, prof = export.data.instance, export.data.profile
    chosen, support = selected(export), _support(export)
    files: list[tuple[str, str, str]] = []
    voter_no = 0
    for k, district in enumerate(inst.districts):
        mine = [(i, p) for i, p in enumerate(inst.projects) if p.district == district]
        if not mine:
            continue
        local = {i: j for j, (i, _p) in enumerate(mine)}
        rows = np.flatnonzero(prof.voter_district == k)
        indptr, indices, values = [0], [], []
        for v in rows.tolist():
            idx, vals = prof.ballot(v)
            indices += [local[int(i)] for i in idx]
            values += [int(x) for x in vals]
            indptr.append(len(indices))
        ids = [str(voter_no + n + 1) for n in range(len(rows))]
        voter_no += len(rows)
        columns = ["project_id", "cost", "votes", "name", "category"] + (["selected"] if chosen is not None else [])
        projects = []
        for _i, p in mine:
            row = {
                "project_id": p.id,
                "cost": str(p.cost),
                "votes": str(support[p.id]),
                "name": p.name,
                "category": ",".join(p.categories),
            }
            if chosen is not None:
                row["selected"] = "1" if p.id in chosen else "0"
            projects.append(row)
        meta = {
            "description": export.round.name,
            "country": "Netherlands",
            "unit": "Wijkfonds",
            "district": district,
            "instance": f"{export.round.slug}-{k + 1}",
            "num_projects": str(len(mine)),
            "num_votes": str(len(rows)),
            "budget": str(inst.district_budgets[district]),
            "vote_type": prof.ballot_type.value,
            **_vote_meta(export.round, prof.ballot_type),
            "rule": export.run.rule if export.run else "",
            "currency": "EUR",
            "language": "nl",
            "total_budget": str(inst.budget),
        }
        with_points = prof.ballot_type != BallotType.APPROVAL
        election = PbElection(
            path=_pb_name(k, district),
            meta=meta,
            project_columns=columns,
            projects=projects,
            vote_columns=["voter_id", "vote", "points"] if with_points else ["voter_id", "vote"],
            ballot_type=prof.ballot_type,
            voter_ids=ids,
            indptr=np.array(indptr, dtype=np.int64),
            indices=np.array(indices, dtype=np.int32),
            values=np.array(values, dtype=np.int64),
        )
        files.append((district, election.path, election_text(election, target=election.path)))
    return files


def json_data(export: RoundExport) -> dict[str, Any]:
    """Everything needed to recompute: input (with its digest), bounds, the published rule and result."""
    from wijkfonds.services.results import recompute_kit  # it reads exports: imported here, not at the top

    rnd, run = export.round, export.run
    published = None
    if run is not None and run.result:
        published = {
            "run_id": run.id,
            "rule": run.rule,
            "completion": run.completion,
            "params": run.params,
            "input_digest": run.input_digest,
            "optimal": run.optimal,
            "published_at": run.published_at.isoformat() if run.published_at else None,
            "result": {
                k: run.result[k]
                for k in (
                    "selected",
                    "cost",
                    "utility",
                    "district_spend",
                    "block_spend",
                    "theme_spend",
                    "voters",
                    "voters_with_funded",
                )
            },
            "outcomes": {
                pid: {k: o[k] for k in ("funded", "reason", "params", "explanation")}
                for pid, o in run.result["outcomes"].items()
            },
        }
    return {
        "format": FORMAT,
        "round": {
            "id": rnd.id,
            "slug": rnd.slug,
            "name": rnd.name,
            "total_budget": rnd.total_budget,
            "imported": rnd.imported,
            "voting_closed_at": rnd.results_start.isoformat(),
        },
        "input": canonical_input(export.data.instance, export.data.profile),
        "input_digest": export.data.digest,
        "initiatives": dict(export.data.initiative_of),
        "published": published,
        "recompute": recompute_kit.recompute_json(export),
    }


def zip_bytes(export: RoundExport, json_text: str) -> bytes:
    """A zip with the CSV, the JSON, every district's .pb file, LEESMIJ.txt, the engine's source and the audit anchors."""
    from wijkfonds.services.results import recompute_kit

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{export.round.slug}.csv", csv_text(export))
        zf.writestr(f"{export.round.slug}.json", json_text)
        for _district, name, text in district_files(export):
            zf.writestr(f"pb/{name}", text)
        for name, content in recompute_kit.files(export):  # LEESMIJ.txt, engine/, the pabutools script
            zf.writestr(name, content)
        for name, text in anchors.export_files(export.round.id):  # the public key, anchors, commitment
            zf.writestr(f"controle/{name}", text)
    return buf.getvalue()
