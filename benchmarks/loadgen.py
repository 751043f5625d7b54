"""The load generator of `make bench-web`: simulated voters and a trivial-route probe.

It runs in its own process (see web.py), so it never shares the server's interpreter.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import random
import re
import time
from urllib.parse import urlencode

TOKEN_RE = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


class _Wire(asyncio.Protocol):
    """One TCP connection: bytes in, whole HTTP responses out (a Protocol, not streams: cheaper)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def more(self) -> None:
        """Wait for more bytes (or the end of the connection)."""
        if self.closed:
            raise ConnectionResetError("the server closed the connection")
        self.waiter = asyncio.get_running_loop().create_future()
        await self.waiter
        self.waiter = None


class Http:
    """A lean HTTP/1.1 client for one simulated browser: its own connection and cookies.

    aiohttp spent about a third of the machine's CPU on itself at these rates, and asyncio's
    streams still a tenth; this client keeps the load generator's share small, so the
    figures describe the server. A connection is kept while the server keeps it open
    (gunicorn's sync workers close it after each response).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.wire: _Wire | None = None

    async def close(self) -> None:
        if self.wire is not None:
            if self.wire.transport is not None:
                self.wire.transport.close()
            self.wire = None

    def _head(self, text: str) -> tuple[int, dict[str, str]]:
        """Status and lower-case headers of a response head; Set-Cookie updates the jar."""
        lines = text.split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
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
        return status, headers

    async def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request and read the whole response (status, lower-case headers, body)."""
        body = urlencode(form).encode() if form is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        if self.wire is None:
            _, self.wire = await asyncio.get_running_loop().create_connection(_Wire, self.host, self.port)
        wire = self.wire
        assert wire.transport is not None
        wire.transport.write(raw)
        while (end := wire.buffer.find(b"\r\n\r\n")) < 0:
            await wire.more()
        status, headers = self._head(wire.buffer[:end].decode("latin-1"))
        start = end + 4
        if "content-length" in headers:
            stop = start + int(headers["content-length"])
            while len(wire.buffer) < stop:
                await wire.more()
        else:  # no length: the body runs until the server closes
            while not wire.closed:
                await wire.more()
            stop = len(wire.buffer)
            headers["connection"] = "close"
        data = bytes(wire.buffer[start:stop])
        del wire.buffer[:stop]
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


class _Voters:
    """The state shared by the voter workers of one load phase: the plan and what was measured."""

    def __init__(self, host: str, port: int, plan: dict, change_share: float) -> None:
        self.host, self.port, self.plan, self.change_share = host, port, plan, change_share
        self.rid = plan["round_id"]
        self.queue: asyncio.Queue = asyncio.Queue()
        for item in plan["codes"]:
            self.queue.put_nowait(item)
        self.ballot_lat: list[float] = []
        self.all_lat: list[float] = []
        self.errors: list[str] = []
        self.acknowledged: dict[str, list[int]] = {}
        self.ballots_acked = 0
        self.rng = random.Random(11)

    async def request(self, http: Http, method: str, path: str, form=None):
        t0 = time.perf_counter()
        status, headers, body = await http.request(method, path, form)
        dt = time.perf_counter() - t0
        self.all_lat.append(dt)
        return status, headers.get("location", ""), body, dt  # bytes: decoding pages costs the client for nothing

    async def one_voter(self, code: str, district_id: int) -> None:
        rid, errors = self.rid, self.errors
        http = Http(self.host, self.port)  # a new browser: its own connection and cookies
        try:
            st, _, body, _ = await self.request(http, "GET", f"/stemmen/{rid}/code")
            m = TOKEN_RE.search(body)
            if st != 200 or not m:
                errors.append(f"code page {st}")
                return
            token = m.group(1).decode("ascii")
            form = [("csrf_token", token), ("code", code)]
            st, loc, _, _ = await self.request(http, "POST", f"/stemmen/{rid}/code", form)
            if st != 303 or "stembiljet" not in loc:
                errors.append(f"code entry {st}")
                return
            st, _, body, _ = await self.request(http, "GET", f"/stemmen/{rid}/stembiljet")
            if st != 200 or b'name="initiative"' not in body:
                errors.append(f"ballot page {st}")
                return
            for _ in range(2 if self.rng.random() < self.change_share else 1):
                await self.ballot(http, token, code, district_id)
        finally:
            await http.close()

    async def ballot(self, http: Http, token: str, code: str, district_id: int) -> None:
        choice = pick(self.rng, self.plan["districts"][str(district_id)])
        form = [("csrf_token", token), ("district", str(district_id)), *(("initiative", str(i)) for i in choice)]
        st, loc, _, dt = await self.request(http, "POST", f"/stemmen/{self.rid}/stembiljet", form)
        self.ballot_lat.append(dt)
        if st == 303 and "bevestiging" in loc:
            self.acknowledged[code] = choice
            self.ballots_acked += 1
        else:
            self.errors.append(f"ballot {st}")

    async def worker(self) -> None:
        while True:
            try:
                code, district_id = self.queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                await self.one_voter(code, district_id)
            except Exception as exc:
                self.errors.append(type(exc).__name__)


async def voters(host: str, port: int, plan: dict, concurrency: int, change_share: float) -> dict:
    """Every code is one voter: code page, code entry, ballot page, ballot (some vote twice)."""
    run = _Voters(host, port, plan, change_share)
    t0 = time.perf_counter()
    await asyncio.gather(*(run.worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    return {
        "elapsed": elapsed,
        "ballot_lat": run.ballot_lat,
        "all_lat": run.all_lat,
        "errors": run.errors,
        "acknowledged": run.acknowledged,
        "ballots": run.ballots_acked,
        "voters": len(run.acknowledged),
    }


def client_process(
    host: str, port: int, plan: dict | None, *, concurrency: int, change_share: float, out: mp.Queue
) -> None:
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
