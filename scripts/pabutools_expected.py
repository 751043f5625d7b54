"""Compute pabutools' results once and store them as the expected results of our tests.

Usage: ``.venv/bin/python scripts/pabutools_expected.py [--cap SECONDS] [FOLDER ...]``

For every ``.pb`` file in ``../shared/pabulib/netherlands`` and
``../shared/pabulib/warszawa-2023`` (or the folders given) it runs, with pabutools'
default lexicographic tie-breaking and ``Cost_Sat``:

* ``greedy``: ``greedy_utilitarian_welfare``;
* ``mes``: ``method_of_equal_shares``;
* ``mes_add1``: the same with ``voter_budget_increment=1``;
* ``mes_add1_greedy``: ``completion_by_rule_combination`` of the add1 outcome with greedy;
* ``max_welfare``: ``max_additive_utilitarian_welfare`` (its utility is
  ``sum(cost * approvers)`` over the selection, because ties among optimal plans are
  not controlled by pabutools, only the utility is compared).

pabutools knows no caps, so the caps of META (``budget_per_neighborhood``,
``budget_per_category``) are ignored, as pabutools' parser does. Each call runs in a
forked child process capped at ``--cap`` seconds; a capped call is recorded under
``"capped"`` instead of a result. Results go to ``tests/allocation/expected/<folder>.json``
(written after every call, so an interrupted run keeps what it has; a rerun skips what is
already there unless ``--force``). pabutools is GPL-3.0 and a dev-only dependency: this
script is never imported by ``wijkfonds``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared" / "pabulib").resolve()
OUT = REPO / "tests" / "allocation" / "expected"
FOLDERS = ("netherlands", "warszawa-2023")
METHODS = ("greedy", "max_welfare", "mes", "mes_add1", "mes_add1_greedy")

# Set in the parent before forking, so that children share the parsed election.
_ELECTION: dict[str, Any] = {}


def _ids(allocation: Any) -> list[str]:
    return sorted(str(p.name) for p in allocation)


def _compute(method: str, previous: dict[str, Any]) -> dict[str, Any]:
    from pabutools.election import Cost_Sat
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        max_additive_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = _ELECTION["instance"], _ELECTION["profile"]
    if method == "greedy":
        return {"selected": _ids(greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat))}
    if method == "max_welfare":
        alloc = max_additive_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        scores = profile.approval_scores()
        utility = sum(int(p.cost) * int(scores.get(p, 0)) for p in alloc)
        return {"selected": _ids(alloc), "utility": utility}
    multi = _ELECTION.setdefault("multi", profile.as_multiprofile())
    if method == "mes":
        return {"selected": _ids(method_of_equal_shares(instance, multi, sat_class=Cost_Sat))}
    if method == "mes_add1":
        alloc = method_of_equal_shares(instance, multi, sat_class=Cost_Sat, voter_budget_increment=1)
        return {"selected": _ids(alloc)}
    if method == "mes_add1_greedy":
        by_name = {str(p.name): p for p in instance}
        start = [by_name[i] for i in previous["mes_add1"]["selected"]]
        alloc = completion_by_rule_combination(
            instance,
            profile,
            [greedy_utilitarian_welfare],
            [{"sat_class": Cost_Sat}],
            initial_budget_allocation=start,
        )
        return {"selected": _ids(alloc)}
    raise ValueError(method)


def _child(method: str, previous: dict[str, Any], conn: Any) -> None:
    start = time.perf_counter()
    try:
        result = _compute(method, previous)
        result["seconds"] = round(time.perf_counter() - start, 3)
        conn.send(result)
    except Exception as exc:  # report any pabutools failure instead of dying silently
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
    conn.close()


def run_capped(method: str, previous: dict[str, Any], cap: float) -> dict[str, Any]:
    """Run one pabutools call in a forked child; ``{"capped": cap}`` when it takes longer."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(method, previous, child))
    proc.start()
    child.close()
    if parent.poll(cap):
        result = parent.recv()
        proc.join()
        return result
    proc.terminate()
    proc.join()
    return {"capped": cap}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def _save(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    tmp.replace(path)


def process_folder(folder: str, methods: tuple[str, ...], cap: float, force: bool, log: Callable[[str], None]) -> None:
    """Compute the given methods for every file of one folder, saving after each call."""
    from pabutools.election import parse_pabulib

    out = OUT / f"{folder}.json"
    data = _load(out)
    data.setdefault(
        "_about",
        {
            "generator": "scripts/pabutools_expected.py",
            "satisfaction": "Cost_Sat",
            "tie_breaking": "lexico (pabutools default)",
            "caps": "ignored (pabutools knows none)",
            "cap_seconds": cap,
        },
    )
    files = sorted((SHARED / folder).glob("*.pb"))
    for method in methods:
        for path in files:
            entry = data.setdefault(path.name, {})
            done = entry.get(method, {})
            if not force and done and done.get("capped", cap) >= cap:
                continue  # computed already, or capped at a cap at least as long
            if method == "mes_add1_greedy" and "selected" not in entry.get("mes_add1", {}):
                entry[method] = {"skipped": "mes_add1 has no result"}
                _save(out, data)
                continue
            if _ELECTION.get("path") != path:
                _ELECTION.clear()
                instance, profile = parse_pabulib(str(path))
                _ELECTION.update(path=path, instance=instance, profile=profile)
                entry["budget"] = int(instance.budget_limit)
                entry["num_projects"] = len(instance)
                entry["num_voters"] = len(profile)
            entry[method] = run_capped(method, entry, cap)
            _save(out, data)
            log(
                f"{folder}/{path.name} {method}: "
                + ", ".join(f"{k}={v}" for k, v in entry[method].items() if k != "selected")
            )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=list(FOLDERS))
    parser.add_argument("--cap", type=float, default=300.0, help="seconds per pabutools call")
    parser.add_argument("--force", action="store_true", help="recompute existing results")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"{SHARED} is absent", file=sys.stderr)
        return 2
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:8.1f}s] {msg}", flush=True)

    # Cheap methods for every folder first, so that a run cut short still has them.
    for method in METHODS:
        for folder in args.folders:
            process_folder(folder, (method,), args.cap, args.force, log)
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
