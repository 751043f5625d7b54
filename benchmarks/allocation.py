"""Benchmark of the allocation engine against pabutools (``make bench``; not a test).

In one run it times, on the largest files in ``../shared/pabulib/large/``:

* our pabulib reader against pabutools' ``parse_pabulib``;
* our rules against pabutools' on the approval files: greedy vs
  ``greedy_utilitarian_welfare(Cost_Sat)``, mes (none / add1 / add1-greedy) vs
  ``method_of_equal_shares(Cost_Sat)`` (``voter_budget_increment=1`` for add1, then
  ``greedy_utilitarian_welfare`` for add1-greedy), ilp vs ``max_additive_utilitarian_welfare``;

and a generated city-scale round (1,000 projects, 500,000 voters, 30 districts, minimum and
maximum shares for 21 building blocks): ilp, mes and greedy times and the peak memory (RSS)
of the process that builds and solves it.

First of all it times ``--rule official`` (the rule META ``rule`` names) on every file of
``../shared/pabulib-official/`` and on the files of ``../shared/pabulib/large/`` with an
official outcome: reading the file, running the rule (best of three), and whether the
outcome equals the file's PROJECTS ``selected`` (the known exceptions and the exclusive
groups come from ``tests/allocation/expected/official.json``). Target: under 1 s a file.

Every pabutools call runs in a child process capped at ``--cap`` seconds (120 by default);
a capped call prints its ratio as a lower bound (``>= 37x``). Ratios are pabutools' time
divided by ours, measured in the same run. pabutools is GPL-3.0 and only used here, at
development time. Options: ``--quick`` (Warsaw 2026 only, 100,000 generated voters),
``--no-pabutools``, ``--no-city``, ``--official-only``, ``--cap S``, ``--city-voters N``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# E402: these imports work only after the two sys.path lines above (a script run from anywhere).
from city import city_round  # noqa: E402  (benchmarks/city.py)

from wijkfonds.allocation.cli_check import check_selected  # noqa: E402
from wijkfonds.allocation.pabulib import read_election, read_pb, round_from_elections  # noqa: E402
from wijkfonds.allocation.rules import run_rule  # noqa: E402
from wijkfonds.allocation.rules.common import project_scores  # noqa: E402
from wijkfonds.allocation.rules.official import official  # noqa: E402

SHARED = (REPO / ".." / "shared" / "pabulib").resolve()
OFFICIAL = (REPO / ".." / "shared" / "pabulib-official").resolve()
KNOWN = json.loads((REPO / "tests" / "allocation" / "expected" / "official.json").read_text())
LARGE = [
    "Poland_Warszawa_2026",
    "Poland_Lodz_2022",
    "Poland_Krakow_2024",
    "Poland_Katowice_2020",
    "Poland_Wroclaw_2015_150_-_500",
]
OUR_RULES: dict[str, tuple[str, str]] = {
    "greedy": ("greedy", "none"),
    "mes": ("mes", "none"),
    "mes add1": ("mes", "add1"),
    "mes add1-greedy": ("mes", "add1-greedy"),
    "ilp": ("ilp", "none"),
}


# ---------------------------------------------------------------- pabutools in a child process
def _pabutools_task(task: str, path: str, conn: Any) -> None:
    """Child: parse (untimed unless the task is parsing), say ready, time one call, send the result."""
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        max_additive_utilitarian_welfare,
        method_of_equal_shares,
    )

    try:
        if task == "parse":
            conn.send(("ready", None))
            start = time.perf_counter()
            _, profile = parse_pabulib(path)
            conn.send(("ok", (time.perf_counter() - start, len(profile))))
            return
        instance, profile = parse_pabulib(path)
        calls: dict[str, Callable[[], Any]] = {
            "greedy": lambda: greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat),
            "mes": lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat),
            "mes add1": lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1),
            "mes add1-greedy": lambda: completion_by_rule_combination(
                instance,
                profile,
                [method_of_equal_shares, greedy_utilitarian_welfare],
                [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
            ),
            "ilp": lambda: max_additive_utilitarian_welfare(instance, profile, sat_class=Cost_Sat),
        }
        conn.send(("ready", None))
        start = time.perf_counter()
        result = calls[task]()
        conn.send(("ok", (time.perf_counter() - start, sorted(str(p.name) for p in result))))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def pabutools(task: str, path: Path, cap: float) -> tuple[str, Any]:
    """("ok", (seconds, payload)), ("timeout", None) after ``cap`` s of timed work, or ("error", text)."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_pabutools_task, args=(task, str(path), send))
    proc.start()
    send.close()
    try:
        if not recv.poll(600):
            return ("error", "pabutools did not finish parsing within 600 s")
        status, _ = recv.recv()
        if status != "ready":
            return (status, _)
        if not recv.poll(cap):
            return ("timeout", None)
        return recv.recv()
    except EOFError:
        return ("error", "the pabutools process died")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()


# ---------------------------------------------------------------- ours, in this process
def best_of(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Smallest wall time of ``runs`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def ratio(ours: float | None, status: str, theirs: float | None, cap: float) -> str:
    if ours is None or ours <= 0:
        return "-"
    if status == "timeout":
        return f">= {cap / ours:,.0f}x"
    if status != "ok" or theirs is None:
        return "-"
    return f"{theirs / ours:,.1f}x"


ROWS: list[list[str]] = []
HEADER = ["file", "task", "ours (s)", "pabutools (s)", "ratio", "same result"]


def row(*cells: object) -> None:
    """Record one table row and print it at once, so a stopped run still shows its figures."""
    ROWS.append([str(c) for c in cells])
    print(" | ".join(str(c) for c in cells), flush=True)


def bench_parse(path: Path, cap: float, with_pabutools: bool) -> None:
    ours, e = best_of(lambda: read_pb(path), 3)
    status, value = pabutools("parse", path, cap) if with_pabutools else ("skipped", None)
    theirs = value[0] if status == "ok" else None
    same = "-" if status != "ok" else ("yes" if value[1] == e.num_voters else "NO")
    shown = f"{theirs:.3f}" if theirs is not None else (f"> {cap:.0f} (cap)" if status == "timeout" else status)
    row(path.stem, f"parse ({e.num_voters:,} voters)", f"{ours:.3f}", shown, ratio(ours, status, theirs, cap), same)


def bench_rules(path: Path, cap: float, with_pabutools: bool) -> None:
    instance, profile = read_election([path], ignore_caps=True)
    scores = project_scores(instance, profile)
    utility_of = {p.id: p.cost * int(s) for p, s in zip(instance.projects, scores, strict=True)}
    for task, (rule, completion) in OUR_RULES.items():
        try:
            ours, alloc = best_of(
                lambda rule=rule, completion=completion: run_rule(rule, instance, profile, completion=completion),
                2 if rule != "ilp" else 1,
            )
        except Exception as exc:
            row(path.stem, task, f"n/a ({type(exc).__name__}: {exc})"[:60], "-", "-", "-")
            continue
        status, value = pabutools(task, path, cap) if with_pabutools else ("skipped", None)
        theirs = value[0] if status == "ok" else None
        same = "-"
        if status == "ok":
            if rule == "ilp":
                same = "yes" if sum(utility_of[p] for p in value[1]) == alloc.utility else "NO (utility)"
            else:
                same = "yes" if sorted(alloc.selected) == value[1] else "NO"
        shown = (
            f"{theirs:.3f}" if theirs is not None else (f"> {cap:.0f} (cap)" if status == "timeout" else status[:40])
        )
        row(path.stem, task, f"{ours:.3f}", shown, ratio(ours, status, theirs, cap), same)


def bench_official(path: Path) -> None:
    """Read the file and run --rule official on it; say whether the outcome is the official one."""
    start = time.perf_counter()
    election = read_pb(path)
    instance, profile = round_from_elections([election])
    read_s = time.perf_counter() - start
    if path.name in KNOWN["exclusive"]:  # groups the file describes only in words
        instance = dataclasses.replace(instance, exclusive_groups=KNOWN["exclusive"][path.name]["groups"])
    rule = election.meta.get("rule", "?")
    try:
        ours, alloc = best_of(lambda: official(instance, profile), 3)
    except Exception as exc:
        row(path.stem, f"official ({rule})", f"refused ({exc})"[:70], "-", "-", "-")
        return
    same = "yes" if check_selected(instance, alloc, [election]).same else "NO"
    if same == "NO" and path.name in KNOWN["cannot"]:
        same = "NO (known: see official.json)"
    row(path.stem, f"official ({rule}), read {read_s:.3f} s", f"{ours:.3f}", "-", "-", f"{same} (= PROJECTS selected)")


def _city_child(voters: int, conn: Any) -> None:
    """Child (fresh process): build the city round, run greedy, mes and ilp, report times and peak RSS."""
    out: dict[str, Any] = {}
    start = time.perf_counter()
    instance, profile = city_round(voters=voters)
    out["generate"] = time.perf_counter() - start
    out["profile_mb"] = (
        profile.indptr.nbytes + profile.indices.nbytes + profile.values.nbytes + profile.voter_district.nbytes
    ) / 2**20
    out["entries"] = int(profile.indptr[-1])
    for rule in ("greedy", "mes", "ilp"):
        try:
            start = time.perf_counter()
            alloc = run_rule(rule, instance, profile)
            out[rule] = (time.perf_counter() - start, alloc.optimal, alloc.status, len(alloc.selected), alloc.cost)
        except Exception as exc:
            out[rule] = f"{type(exc).__name__}: {exc}"[:80]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    conn.send(out)


def bench_city(voters: int) -> None:
    ctx = mp.get_context("spawn")  # a fresh process: its peak RSS is the city round's alone
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_city_child, args=(voters, send))
    proc.start()
    send.close()
    out = recv.recv() if recv.poll(1800) else None
    proc.kill() if proc.is_alive() else None
    proc.join()
    name = f"city ({voters:,} voters, 1,000 projects, 30 districts, 21 blocks)"
    if out is None:
        row(name, "all", "did not finish within 1800 s", "-", "-", "-")
        return
    row(
        name,
        f"generate ({out['entries']:,} approvals, profile {out['profile_mb']:.0f} MiB)",
        f"{out['generate']:.3f}",
        "-",
        "-",
        "-",
    )
    for rule in ("greedy", "mes", "ilp"):
        r = out[rule]
        if isinstance(r, str):
            row(name, rule, f"n/a ({r})", "-", "-", "-")
        else:
            seconds, optimal, status, count, cost = r
            label = f"{rule} ({count} funded, cost {cost:,}, status {status}" + (
                ", proven optimal)" if optimal else ")"
            )
            row(name, label, f"{seconds:.3f}", "-", "-", "-")
    row(name, "peak memory of the whole process (RSS)", f"{out['peak_rss_mb']:.0f} MiB", "-", "-", "-")


def main() -> int:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="Warsaw 2026 only and 100,000 generated voters")
    ap.add_argument("--cap", type=float, default=120.0, help="seconds per pabutools call (default 120)")
    ap.add_argument("--no-pabutools", action="store_true")
    ap.add_argument("--no-city", action="store_true")
    ap.add_argument("--official-only", action="store_true", help="only --rule official on the official files")
    ap.add_argument("--city-voters", type=int, default=None)
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: only the generated round is measured", file=sys.stderr)
    names = LARGE[:1] if args.quick else LARGE
    files = [SHARED / "large" / f"{n}.pb" for n in names if (SHARED / "large" / f"{n}.pb").is_file()]
    with_pab = not args.no_pabutools
    print(" | ".join(HEADER), flush=True)
    official_files = sorted(OFFICIAL.glob("*.pb")) if OFFICIAL.is_dir() else []
    official_files += [p for p in files if "selected" in read_pb(p).project_columns]
    for path in official_files:
        bench_official(path)
    if args.official_only:
        files, args.no_city = [], True
    for path in files:
        bench_parse(path, args.cap, with_pab)
    for path in files:
        if read_pb(path).meta.get("vote_type") == "approval":
            bench_rules(path, args.cap, with_pab)
    if not args.no_city:
        bench_city(args.city_voters or (100_000 if args.quick else 500_000))
    widths = [max(len(r[k]) for r in [HEADER, *ROWS]) for k in range(len(HEADER))]
    print("\nSummary (ratio = pabutools time / our time, same run; '>=' when pabutools hit the cap)")
    for r in [HEADER, *ROWS]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
