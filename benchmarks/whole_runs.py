"""Whole runs, as a user starts them (``make bench``, after ``benchmarks/allocation.py``; not a test).

Issue 17 item 10 asks for three figures, printed side by side in one table:

* Equal Shares on the largest shared files (``../shared/pabulib/large/``, by number of
  voters): the whole command line ``python -m wijkfonds.allocation FILE --rule mes --json``
  in a fresh process (process start, imports, parsing and printing included) against a fresh
  process that imports pabutools, runs ``parse_pabulib`` and ``method_of_equal_shares`` with
  ``Cost_Sat``; best of three each, in the same run. Target: ours at least 50 times faster.
* ``mes`` with completion ``add1`` on the generated city round (1,000 projects, 500,000
  voters, ``benchmarks/city.py``), in this process, the generation not counted. Target: < 5 s.
* ``--rule official`` on every shared file whose META names a rule the engine knows (whole
  command line, best of three per file); the slowest file is the figure. Target: < 1 s.

Both sides run from compiled bytecode, as installed packages do: the work tree is compiled
first (``compileall``), since a process started with ``PYTHONDONTWRITEBYTECODE`` (set on this
project's machines) would otherwise compile our modules afresh in every run, while pip
compiled pabutools and numpy when it installed them.

pabutools is GPL-3.0 and only run here, at development time, in its own process. Options:
``--runs N`` (3), ``--cap S`` (seconds per pabutools process, 600), ``--no-pabutools``,
``--no-city``, ``--city-voters N``, ``--files N`` (how many of the largest files, 5).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SHARED = (REPO / ".." / "shared" / "pabulib").resolve()
OFFICIAL = (REPO / ".." / "shared" / "pabulib-official").resolve()
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
# The same utilities as our mes: cost utilities for approval (and choose-1) ballots, points for
# cumulative ones. argv[2] "profile": the profile as parse_pabulib returns it (pabutools'
# documented call); "multi": approval profiles turned into a multiprofile first (one entry per
# distinct ballot), which pabutools offers to make its rules faster.
PABUTOOLS_MES = """
import sys
from pabutools.election import AbstractApprovalProfile, AbstractCardinalProfile, Additive_Cardinal_Sat, Cost_Sat
from pabutools.election import parse_pabulib
from pabutools.rules import method_of_equal_shares
instance, profile = parse_pabulib(sys.argv[1])
if isinstance(profile, AbstractApprovalProfile):
    if sys.argv[2] == "multi":
        profile = profile.as_multiprofile()
    method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
elif isinstance(profile, AbstractCardinalProfile):
    method_of_equal_shares(instance, profile, sat_class=Additive_Cardinal_Sat)
else:
    sys.exit(9)  # ordinal ballots: pabutools' mes takes no ordinal satisfaction
"""
# The least any reading of a file from Python does: start the interpreter, read the file and
# decode it (the quick path, wijkfonds.allocation.quick, does this and more).
FLOOR_READ = """
import sys
text = open(sys.argv[1], encoding="utf-8").read()
"""
ROWS: list[list[str]] = []
HEADER = ["what", "ours (s)", "pabutools (s)", "ratio", "target", "met", "pabutools multiprofile (s)", "ratio"]


def timed(cmd: list[str], runs: int, cap: float) -> tuple[float | None, int]:
    """Best wall time of ``runs`` runs of ``cmd`` (None when one passed ``cap`` s) and the last exit status."""
    best, status = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        try:
            done = subprocess.run(cmd, env=ENV, cwd=REPO, capture_output=True, timeout=cap, check=False)
        except subprocess.TimeoutExpired:
            return None, -1
        best, status = min(best, time.perf_counter() - start), done.returncode
        if status not in (0, 3):  # 3: the outcome differs from PROJECTS selected, still a whole run
            if status not in (2, 9):  # 2: refused with a message (a file naming no known rule)
                sys.stderr.write(done.stderr.decode(errors="replace")[-400:])
            return None, status
    return best, status


def row(*cells: object) -> None:
    """Record a row and print it at once, so a stopped run still shows its figures."""
    ROWS.append([str(c) for c in cells])
    print(" | ".join(ROWS[-1]), flush=True)


def voters_of(path: Path) -> int:
    """Number of ballots of a pabulib file (META num_votes when given, else counted)."""
    from wijkfonds.allocation.pabulib import read_pb

    return read_pb(path).num_voters


def _versus(ours: float, theirs: float | None, status: int, cap: float, run: bool) -> tuple[str, str, float | None]:
    """(pabutools' time as shown, the ratio as shown, the ratio or None)."""
    if not run:
        return "skipped", "-", None
    if status == 9:
        return "n/a (ordinal ballots)", "-", None
    if theirs is None and status != -1:
        return f"failed (status {status})", "-", None
    if theirs is None:
        return f"> {cap:.0f} (cap)", f">= {cap / ours:,.0f}x", cap / ours
    return f"{theirs:.2f}", f"{theirs / ours:,.1f}x", theirs / ours


def served_by(path: Path) -> str:
    """Which path of ours answers a plain ``--rule mes --json`` run of ``path``: the quick one (no numpy) or the full one."""
    import contextlib
    import io

    from wijkfonds.allocation import quick

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return "quick path" if quick.run([str(path), "--rule", "mes", "--json"]) is not None else "full engine"


def bench_mes(files: list[Path], runs: int, cap: float, with_pabutools: bool) -> None:
    for path in files:
        ours, _ = timed([sys.executable, "-m", "wijkfonds.allocation", str(path), "--rule", "mes", "--json"], runs, cap)
        label = f"{path.stem} ({voters_of(path):,} voters): whole run of mes, {served_by(path)}"
        if ours is None:
            row(label, "failed", "-", "-", ">= 50x", "NO", "-", "-")
            continue
        shown = []
        factor = None
        for form in ("profile", "multi"):
            theirs, status = (None, 0)
            if with_pabutools:
                theirs, status = timed([sys.executable, "-c", PABUTOOLS_MES, str(path), form], runs, cap)
            text, ratio_text, value = _versus(ours, theirs, status, cap, with_pabutools)
            shown += [text, ratio_text]
            factor = value if form == "profile" else factor
        met = "-" if factor is None else ("yes" if factor >= 50 else "NO")
        row(label, f"{ours:.3f}", shown[0], shown[1], ">= 50x", met, shown[2], shown[3])


def bench_add1(voters: int) -> None:
    from city import city_round

    from wijkfonds.allocation.rules import run_rule

    instance, profile = city_round(voters=voters)
    start = time.perf_counter()
    alloc = run_rule("mes", instance, profile, completion="add1")
    seconds = time.perf_counter() - start
    label = f"city round ({voters:,} voters, 1,000 projects): mes add1, {len(alloc.selected)} funded"
    row(label, f"{seconds:.3f}", "-", "-", "< 5 s", "yes" if seconds < 5 else "NO", "-", "-")


def official_files() -> list[Path]:
    """Every shared file whose META names a rule (``--rule official`` refuses the others)."""
    out = []
    for path in sorted(OFFICIAL.glob("*.pb")) + sorted(SHARED.rglob("*.pb")):
        with path.open(encoding="utf-8", errors="replace") as fh:
            head = "".join(line for _, line in zip(range(60), fh, strict=False))
        if "\nrule;" in head or head.startswith("rule;"):
            out.append(path)
    return out


def bench_official(runs: int) -> None:
    # Groups of plans that exclude each other, which some files describe only in words.
    known = json.loads((REPO / "tests" / "allocation" / "expected" / "official.json").read_text())["exclusive"]
    slowest, worst, count, refused = 0.0, "-", 0, []
    for path in official_files():
        cmd = [sys.executable, "-m", "wijkfonds.allocation", str(path), "--rule", "official", "--json"]
        for group in known.get(path.name, {}).get("groups", []):
            cmd += ["--exclusive", ",".join(group)]
        seconds, status = timed(cmd, runs, 60)
        if seconds is None:
            refused.append(f"{path.stem} (status {status})")
            continue
        count += 1
        if seconds > slowest:
            slowest, worst = seconds, path.stem
    label = f"--rule official, whole run, slowest of {count} shared files ({worst})"
    row(label, f"{slowest:.3f}", "-", "-", "< 1 s", "yes" if slowest < 1 else "NO", "-", "-")
    if refused:
        print("--rule official refused (no rule the engine knows) or failed: " + ", ".join(refused), file=sys.stderr)


def main() -> int:
    """Measure and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cap", type=float, default=600.0, help="seconds per pabutools process (default 600)")
    ap.add_argument("--files", type=int, default=5, help="how many of the largest shared files (default 5)")
    ap.add_argument("--no-pabutools", action="store_true")
    ap.add_argument("--no-city", action="store_true")
    ap.add_argument("--city-voters", type=int, default=500_000)
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "wijkfonds")], check=True, capture_output=True)
    print(" | ".join(HEADER), flush=True)
    floor, _ = timed([sys.executable, "-c", "import numpy"], args.runs, 60)
    if floor is not None:  # what any run of the full engine costs at least: the interpreter and numpy
        row(
            "floor of the full engine: a fresh interpreter importing numpy",
            f"{floor:.3f}",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
        )
    if SHARED.is_dir():  # what the quick path costs at least on the smallest large file: start, read it
        smallest = min((SHARED / "large").glob("*.pb"), key=lambda p: p.stat().st_size)
        floor_read, _ = timed([sys.executable, "-c", FLOOR_READ, str(smallest)], args.runs, 60)
        label = f"floor of the quick path: a fresh interpreter reading and decoding {smallest.stem}"
        row(label, f"{floor_read:.3f}" if floor_read is not None else "failed", "-", "-", "-", "-", "-", "-")
    if SHARED.is_dir():
        large = sorted((SHARED / "large").glob("*.pb"), key=voters_of, reverse=True)[: args.files]
        bench_mes(large, args.runs, args.cap, not args.no_pabutools)
    else:
        print(f"{SHARED} is absent: no shared files to measure", file=sys.stderr)
    if not args.no_city:
        bench_add1(args.city_voters)
    if SHARED.is_dir() or OFFICIAL.is_dir():
        bench_official(args.runs)
    widths = [max(len(r[k]) for r in [HEADER, *ROWS]) for k in range(len(HEADER))]
    print(
        "\nWhole runs (ratio = pabutools' parse + rule / our whole command line, both in fresh processes; "
        "the target is judged on pabutools' documented call, the multiprofile columns show its faster form)"
    )
    for r in [HEADER, *ROWS]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
