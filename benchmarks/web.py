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
import asyncio
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- preparation
def prepare(url: str, n_codes: int) -> dict:
    """Migrate, create a round in voting with feasible initiatives, and codes; return the plan."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from wijkfonds import create_app
    from wijkfonds.extensions import db
    from wijkfonds.models import District, DistrictBudget, Initiative, Round, Status, Theme, User, VotingCode
    from wijkfonds.services.codes import hash_code, new_code
    from wijkfonds.services.reference import ensure_reference_data
    from wijkfonds.timeutil import utcnow
    from datetime import timedelta

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        ensure_reference_data()
        author = User(email="bench@voorbeeld.nl", display_name="Bench", role="resident", password_hash="!")
        db.session.add(author)
        now = utcnow()
        rnd = Round(slug="bench", name="Verkiezingsavond", total_budget=400_000,
                    submission_start=now - timedelta(days=30), review_start=now - timedelta(days=20),
                    voting_start=now - timedelta(days=1), results_start=now + timedelta(days=1))
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
                ini = Initiative(round_id=rnd.id, author_id=author.id, district_id=d.id, theme_id=rnd.themes[0].id,
                                 title=f"Plan {k + 1} in {d.name}", summary="Bench", description="Bench",
                                 requested_cost=rng.randrange(2_000, 40_000, 500), status=Status.FEASIBLE.value)
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
            db.session.execute(insert(VotingCode), rows[start:start + 5000])
        db.session.commit()
        db.engine.dispose()
    return plan


def check_database(url: str, round_id: int, acknowledged: dict[str, list[int]]) -> dict:
    """Compare what the server acknowledged with what the database holds."""
    from sqlalchemy import func, select

    from wijkfonds import create_app
    from wijkfonds.extensions import db
    from wijkfonds.models import Ballot, BallotItem, Voter, VotingCode
    from wijkfonds.services.codes import hash_code

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        stored = db.session.scalar(select(func.count(Ballot.id)).where(Ballot.round_id == round_id))
        dup = db.session.scalar(
            select(func.count()).select_from(
                select(Ballot.voter_id).where(Ballot.round_id == round_id).group_by(Ballot.voter_id)
                .having(func.count() > 1).subquery()))
        mismatched = 0
        by_hash = {hash_code(code): choice for code, choice in acknowledged.items()}
        rows = db.session.execute(
            select(VotingCode.code_hash, Ballot.id)
            .join(Voter, Voter.code_id == VotingCode.id).join(Ballot, Ballot.voter_id == Voter.id)
            .where(Ballot.round_id == round_id)).all()
        items: dict[int, list[int]] = {}
        for ballot_id, ini in db.session.execute(
                select(BallotItem.ballot_id, BallotItem.initiative_id).join(Ballot).where(Ballot.round_id == round_id)):
            items.setdefault(ballot_id, []).append(ini)
        found = set()
        for code_hash, ballot_id in rows:
            found.add(code_hash)
            if sorted(items.get(ballot_id, [])) != sorted(by_hash.get(code_hash, [-1])):
                mismatched += 1
        lost = sum(1 for h in by_hash if h not in found)
        db.engine.dispose()
    return {"stored": stored, "duplicates": dup, "mismatched": mismatched, "lost": lost}


# --------------------------------------------------------------------------- load generator
class Http:
    """A lean HTTP/1.1 client for one simulated browser: one keep-alive connection, its own cookies.

    aiohttp spent about a third of the machine's CPU on itself at these rates; this client
    keeps the load generator's share small, so the figures describe the server.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send one request and read the whole response (status, lower-case headers, body)."""
        from urllib.parse import urlencode

        body = urlencode(form).encode() if form is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(raw)
        head_bytes = await self.reader.readuntil(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                if val and "max-age=0" not in value.lower():
                    self.cookies[key] = val
                else:
                    self.cookies.pop(key, None)
            headers[name] = value
        if "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        else:  # no length: the body runs until the server closes
            data = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, data


def pick(rng: random.Random, district: dict) -> list[int]:
    """A random ballot within the district's budget."""
    items = district["items"][:]
    rng.shuffle(items)
    left, chosen = district["budget"], []
    for ini_id, cost in items[: rng.randint(1, 6)]:
        if cost <= left:
            chosen.append(ini_id)
            left -= cost
    return chosen

async def trivial(host: str, port: int, seconds: float, concurrency: int) -> dict:
    """Hammer /health with ``concurrency`` keep-alive connections for ``seconds``."""
    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker():
        nonlocal errors
        http = Http(host, port)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                status, _, _ = await http.request("GET", "/health")
                errors += status != 200
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                await http.close()
            lat.append(time.perf_counter() - t0)
        await http.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    return {"rps": len(lat) / elapsed, "lat": lat, "errors": errors}


async def voters(host: str, port: int, plan: dict, concurrency: int, change_share: float) -> dict:
    """Every code is one voter: code page, code entry, ballot page, ballot (some vote twice)."""
    rid = plan["round_id"]
    queue: asyncio.Queue = asyncio.Queue()
    for item in plan["codes"]:
        queue.put_nowait(item)
    ballot_lat: list[float] = []
    all_lat: list[float] = []
    errors: list[str] = []
    acknowledged: dict[str, list[int]] = {}
    ballots_acked = 0
    rng = random.Random(11)

    async def request(http: Http, method: str, path: str, form=None):
        t0 = time.perf_counter()
        status, headers, body = await http.request(method, path, form)
        dt = time.perf_counter() - t0
        all_lat.append(dt)
        return status, headers.get("location", ""), body.decode("utf-8", "replace"), dt

    async def one_voter(code: str, district_id: int):
        nonlocal ballots_acked
        district = plan["districts"][str(district_id)]
        http = Http(host, port)  # a new browser: its own connection and cookies
        try:
            st, _, body, _ = await request(http, "GET", f"/stemmen/{rid}/code")
            m = TOKEN_RE.search(body)
            if st != 200 or not m:
                errors.append(f"code page {st}")
                return
            token = m.group(1)
            st, loc, _, _ = await request(http, "POST", f"/stemmen/{rid}/code", [("csrf_token", token), ("code", code)])
            if st != 303 or "stembiljet" not in loc:
                errors.append(f"code entry {st}")
                return
            st, _, body, _ = await request(http, "GET", f"/stemmen/{rid}/stembiljet")
            if st != 200 or 'name="initiative"' not in body:
                errors.append(f"ballot page {st}")
                return
            for _ in range(2 if rng.random() < change_share else 1):
                choice = pick(rng, district)
                form = [("csrf_token", token), ("district", str(district_id))] + [("initiative", str(i)) for i in choice]
                st, loc, _, dt = await request(http, "POST", f"/stemmen/{rid}/stembiljet", form)
                ballot_lat.append(dt)
                if st == 303 and "bevestiging" in loc:
                    acknowledged[code] = choice
                    ballots_acked += 1
                else:
                    errors.append(f"ballot {st}")
        finally:
            await http.close()

    async def worker():
        while True:
            try:
                code, district_id = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                await one_voter(code, district_id)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                errors.append(type(exc).__name__)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    return {"elapsed": elapsed, "ballot_lat": ballot_lat, "all_lat": all_lat, "errors": errors,
            "acknowledged": acknowledged, "ballots": ballots_acked, "voters": len(acknowledged)}


def client_process(host: str, port: int, plan: dict | None, concurrency: int, change_share: float, out: mp.Queue) -> None:
    """Runs in its own process, so the load generator never shares the server's interpreter.

    Without a plan it measures the trivial route; with one, it runs the voters.
    """
    try:
        import uvloop  # a faster event loop: less of the machine goes to the load generator

        uvloop.install()
    except ImportError:
        pass
    if plan is None:
        out.put(asyncio.run(trivial(host, port, 6.0, concurrency)))
    else:
        out.put(asyncio.run(voters(host, port, plan, concurrency, change_share)))


def in_client(port: int, plan: dict | None, args: argparse.Namespace) -> dict:
    """Run one load phase in a fresh client process and return what it measured."""
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=client_process, args=("127.0.0.1", port, plan, args.concurrency, args.change, out))
    proc.start()
    result = out.get(timeout=3600)
    proc.join()
    return result


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(match) -> float:
    """User + system CPU seconds used so far by every process whose command line matches."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            if match(cmd):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / _TICK


# --------------------------------------------------------------------------- orchestration
def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def run(kind: str, url: str, args: argparse.Namespace) -> dict:
    plan = prepare(url, args.codes)
    port = free_port()
    env = dict(os.environ, WIJKFONDS_DATABASE_URL=url, WIJKFONDS_SECRET_KEY="bench-secret-" + "x" * 32)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
         *(["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []),
         "--log-level", "warning", "--backlog", "2048", "wijkfonds:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start: " + (server.stderr.read().decode()[-2000:] if server.stderr else ""))
        plan_json = json.loads(json.dumps(plan))  # district ids become strings, as on the wire
        triv = in_client(port, None, args)
        is_server = lambda cmd: "gunicorn" in cmd and f"127.0.0.1:{port}" in cmd  # noqa: E731
        is_db = lambda cmd: cmd.startswith("postgres:")  # noqa: E731
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
        "db": kind, "workers": args.workers, "concurrency": args.concurrency, "voters": load["voters"],
        "ballots_acked": load["ballots"], "ballots_per_s": bps, "voters_per_s": load["voters"] / load["elapsed"],
        "p50_ms": pct(load["ballot_lat"], 50), "p95_ms": pct(load["ballot_lat"], 95), "p99_ms": pct(load["ballot_lat"], 99),
        "all_p95_ms": pct(load["all_lat"], 95), "errors": len(load["errors"]), "error_kinds": sorted(set(load["errors"]))[:5],
        "trivial_rps": triv["rps"], "trivial_p95_ms": pct(triv["lat"], 95),
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
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread; 1 = sync workers)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--change", type=float, default=0.2, help="share of voters who change their ballot")
    args = parser.parse_args()
    results = []
    kinds = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    for kind in kinds:
        tmp = Path(tempfile.mkdtemp(prefix="wijkfonds-bench-"))
        os.chmod(tmp, 0o755)
        try:
            if kind == "postgres":
                url = subprocess.check_output([str(ROOT / "scripts/pg_cluster.sh"), "start", str(tmp / "pg"), str(free_port())], text=True).strip()
                url = "postgresql+psycopg://" + url[len("postgresql://"):]
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
        print(f"{r['db']:9} {r['voters']:6d} {r['ballots_acked']:7d} {r['ballots_per_s']:9.1f} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['p99_ms']:7.1f} "
              f"{r['errors']:6d} {r['trivial_rps']:11.1f} {r['ratio']:6.3f} {r['stored']:6d} {r['duplicates']:4d} {r['lost']:4d} {r['mismatched']:5d}")
        if r["error_kinds"]:
            print(f"          error kinds: {r['error_kinds']}")
        ok &= r["stored"] == r["voters"] and r["duplicates"] == 0 and r["lost"] == 0 and r["mismatched"] == 0
    print()
    print("all requests/s (voter flow):", ", ".join(f"{r['db']} {r['requests_per_s']:.0f}" for r in results))
    print("CPU per voter, app server / database server:",
          ", ".join(f"{r['db']} {r['server_ms_per_voter']:.1f} / " +
                    (f"{r['db_ms_per_voter']:.1f} ms" if r["db"] == "postgres" else "in the app server") for r in results))
    print("integrity:", "OK: ballots stored == ballots acknowledged, no duplicates, none lost" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
