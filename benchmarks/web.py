"""Election-night load benchmark (`make bench-web`): not a test, it prints figures.

For each database (PostgreSQL in a throwaway cluster, and SQLite) it
1. prepares a round in its voting phase with feasible initiatives and 5,000 voting codes,
2. starts the app under gunicorn on 127.0.0.1,
3. measures a trivial Flask route (/health) from a separate load-generator process,
4. lets every simulated voter enter a code, open the ballot and submit it (a share of
   them change their ballot afterwards), with an asynchronous HTTP client,
5. prints ballots per second, p50/p95/p99 latency, errors, the ratio to the trivial
   route, and then checks the database: ballots stored == ballots acknowledged, no
   duplicates, every stored ballot equals the voter's last acknowledged choice.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen  # noqa: E402  (the load generator, run in its own process)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- preparation
def prepare(url: str, n_codes: int) -> dict:
    """Migrate, create a round in voting with feasible initiatives, and codes; return the plan."""
    from datetime import timedelta

    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from wijkfonds import create_app
    from wijkfonds.common.timeutil import utcnow
    from wijkfonds.extensions import db
    from wijkfonds.models import District, DistrictBudget, Initiative, Round, Status, Theme, User, VotingCode
    from wijkfonds.services.catalog.reference import ensure_reference_data
    from wijkfonds.services.voting.codes import hash_code, new_code

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        ensure_reference_data()
        author = User(email="bench@voorbeeld.nl", display_name="Bench", role="resident", password_hash="!")
        db.session.add(author)
        now = utcnow()
        rnd = Round(
            slug="bench",
            name="Verkiezingsavond",
            total_budget=400_000,
            submission_start=now - timedelta(days=30),
            review_start=now - timedelta(days=20),
            voting_start=now - timedelta(days=1),
            results_start=now + timedelta(days=1),
        )
        rnd.themes = list(db.session.scalars(select(Theme)))
        districts = list(db.session.scalars(select(District).order_by(District.id)))
        for d in districts:
            rnd.district_budgets.append(DistrictBudget(district_id=d.id, amount=100_000))
        db.session.add(rnd)
        db.session.flush()
        plan: dict = {"round_id": rnd.id, "districts": {}, "codes": []}
        rng = random.Random(7)
        for d in districts:
            items = []
            for k in range(12):
                ini = Initiative(
                    round_id=rnd.id,
                    author_id=author.id,
                    district_id=d.id,
                    theme_id=rnd.themes[0].id,
                    title=f"Plan {k + 1} in {d.name}",
                    summary="Bench",
                    description="Bench",
                    requested_cost=rng.randrange(2_000, 40_000, 500),
                    status=Status.FEASIBLE.value,
                )
                db.session.add(ini)
                db.session.flush()
                items.append((ini.id, ini.requested_cost))
            plan["districts"][d.id] = {"budget": 100_000, "items": items}
        rows = []
        for i in range(n_codes):
            d = districts[i % len(districts)]
            code = new_code()
            rows.append({"round_id": rnd.id, "district_id": d.id, "code_hash": hash_code(code)})
            plan["codes"].append((code, d.id))
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(VotingCode), rows[start : start + 5000])
        db.session.commit()
        db.engine.dispose()
    return plan


def check_database(url: str, round_id: int, acknowledged: dict[str, list[int]]) -> dict:
    """Compare what the server acknowledged with what the database holds."""
    from sqlalchemy import func, select

    from wijkfonds import create_app
    from wijkfonds.extensions import db
    from wijkfonds.models import Ballot, BallotItem, Voter, VotingCode
    from wijkfonds.services.voting.codes import hash_code

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        stored = db.session.scalar(select(func.count(Ballot.id)).where(Ballot.round_id == round_id))
        dup = db.session.scalar(
            select(func.count()).select_from(
                select(Ballot.voter_id)
                .where(Ballot.round_id == round_id)
                .group_by(Ballot.voter_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        mismatched = 0
        by_hash = {hash_code(code): choice for code, choice in acknowledged.items()}
        rows = db.session.execute(
            select(VotingCode.code_hash, Ballot.id)
            .join(Voter, Voter.code_id == VotingCode.id)
            .join(Ballot, Ballot.voter_id == Voter.id)
            .where(Ballot.round_id == round_id)
        ).all()
        items: dict[int, list[int]] = {}
        for ballot_id, ini in db.session.execute(
            select(BallotItem.ballot_id, BallotItem.initiative_id).join(Ballot).where(Ballot.round_id == round_id)
        ):
            items.setdefault(ballot_id, []).append(ini)
        found = set()
        for code_hash, ballot_id in rows:
            found.add(code_hash)
            if sorted(items.get(ballot_id, [])) != sorted(by_hash.get(code_hash, [-1])):
                mismatched += 1
        lost = sum(1 for h in by_hash if h not in found)
        db.engine.dispose()
    return {"stored": stored, "duplicates": dup, "mismatched": mismatched, "lost": lost}


# --------------------------------------------------------------------------- load phases
def in_client(port: int, plan: dict | None, args: argparse.Namespace) -> dict:
    """Run one load phase in a fresh client process and return what it measured."""
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    proc = ctx.Process(
        target=loadgen.client_process,
        args=("127.0.0.1", port, plan),
        kwargs={"concurrency": args.concurrency, "change_share": args.change, "out": out},
    )
    proc.start()
    result = out.get(timeout=3600)
    proc.join()
    return result


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(match) -> float:
    """User + system CPU seconds used so far by every process whose command line matches."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            if match(cmd):
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / _TICK


# --------------------------------------------------------------------------- orchestration
def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def run(kind: str, url: str, args: argparse.Namespace) -> dict:
    plan = prepare(url, args.codes)
    port = free_port()
    env = dict(os.environ, WIJKFONDS_DATABASE_URL=url, WIJKFONDS_SECRET_KEY="bench-secret-" + "x" * 32)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            "python:wijkfonds.web.gunicorn_conf",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            *(["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []),
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            "wijkfonds:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(
                "gunicorn did not start: " + (server.stderr.read().decode()[-2000:] if server.stderr else "")
            )
        plan_json = json.loads(json.dumps(plan))  # district ids become strings, as on the wire
        triv = in_client(port, None, args)

        def is_server(cmd: str) -> bool:
            return "gunicorn" in cmd and f"127.0.0.1:{port}" in cmd

        def is_db(cmd: str) -> bool:
            return cmd.startswith("postgres:")

        before = (cpu_seconds(is_server), cpu_seconds(is_db))
        load = in_client(port, plan_json, args)
        after = (cpu_seconds(is_server), cpu_seconds(is_db))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    server_cpu, db_cpu = after[0] - before[0], after[1] - before[1]
    check = check_database(url, plan["round_id"], load["acknowledged"])
    bps = load["ballots"] / load["elapsed"]
    return {
        "db": kind,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "voters": load["voters"],
        "ballots_acked": load["ballots"],
        "ballots_per_s": bps,
        "voters_per_s": load["voters"] / load["elapsed"],
        "p50_ms": pct(load["ballot_lat"], 50),
        "p95_ms": pct(load["ballot_lat"], 95),
        "p99_ms": pct(load["ballot_lat"], 99),
        "all_p95_ms": pct(load["all_lat"], 95),
        "errors": len(load["errors"]),
        "error_kinds": sorted(set(load["errors"]))[:5],
        "trivial_rps": triv["rps"],
        "trivial_p95_ms": pct(triv["lat"], 95),
        "requests_per_s": len(load["all_lat"]) / load["elapsed"],
        "ratio": bps / triv["rps"] if triv["rps"] else float("nan"),
        "server_ms_per_voter": server_cpu / max(load["voters"], 1) * 1000,
        "db_ms_per_voter": db_cpu / max(load["voters"], 1) * 1000,
        **check,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--codes", type=int, default=5000)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="gunicorn sync workers (default: one per core, which measured best)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread; 1 = sync workers)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--change", type=float, default=0.2, help="share of voters who change their ballot")
    args = parser.parse_args()
    results = []
    kinds = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    for kind in kinds:
        tmp = Path(tempfile.mkdtemp(prefix="wijkfonds-bench-"))
        tmp.chmod(0o755)
        try:
            if kind == "postgres":
                url = subprocess.check_output(
                    [str(ROOT / "scripts/pg_cluster.sh"), "start", str(tmp / "pg"), str(free_port())], text=True
                ).strip()
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            else:
                url = f"sqlite:///{tmp / 'bench.sqlite3'}"
            print(f"[{kind}] preparing {args.codes} codes and running {args.workers} gunicorn workers ...", flush=True)
            results.append(run(kind, url, args))
        finally:
            if kind == "postgres":
                subprocess.run([str(ROOT / "scripts/pg_cluster.sh"), "stop", str(tmp / "pg")], check=False)
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    header = f"{'db':9} {'voters':>6} {'ballots':>7} {'ballots/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'/health rps':>11} {'ratio':>6} {'stored':>6} {'dup':>4} {'lost':>4} {'wrong':>5}"
    print(header)
    print("-" * len(header))
    ok = True
    for r in results:
        print(
            f"{r['db']:9} {r['voters']:6d} {r['ballots_acked']:7d} {r['ballots_per_s']:9.1f} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['p99_ms']:7.1f} "
            f"{r['errors']:6d} {r['trivial_rps']:11.1f} {r['ratio']:6.3f} {r['stored']:6d} {r['duplicates']:4d} {r['lost']:4d} {r['mismatched']:5d}"
        )
        if r["error_kinds"]:
            print(f"          error kinds: {r['error_kinds']}")
        ok &= r["stored"] == r["voters"] and r["duplicates"] == 0 and r["lost"] == 0 and r["mismatched"] == 0
    print()
    print("all requests/s (voter flow):", ", ".join(f"{r['db']} {r['requests_per_s']:.0f}" for r in results))
    print(
        "CPU per voter, app server / database server:",
        ", ".join(
            f"{r['db']} {r['server_ms_per_voter']:.1f} / "
            + (f"{r['db_ms_per_voter']:.1f} ms" if r["db"] == "postgres" else "in the app server")
            for r in results
        ),
    )
    print("integrity:", "OK: ballots stored == ballots acknowledged, no duplicates, none lost" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
