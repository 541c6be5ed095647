"""The soak's load: a fixed number of connections, one worker task each, drawing a weighted mix.

Every operation has the set of statuses the contract allows it under this load; anything else is
a failure, and so is every 5xx, timeout and transport error. Reads and PATCH targets are the seeded
users (never deleted), so a read can only answer 200; deletes take soak-created users only.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.soak.memory import MemorySample, sample
from tests.support.tokens import bearer, make_token

PASSWORD = "correct-horse-battery"
# op -> (weight in percent, statuses the contract allows it under this load).
OPS: dict[str, tuple[int, frozenset[int]]] = {
    "get_v1": (14, frozenset({200})),
    "get_v2": (14, frozenset({200})),
    "me_v1": (8, frozenset({200})),
    "me_v2": (8, frozenset({200})),
    "list_v1": (10, frozenset({200})),
    "list_v2": (12, frozenset({200})),
    # Several writers share a small set of hot users: a stale If-Match is an expected 412.
    "patch_v2": (25, frozenset({200, 412})),
    "patch_v1": (6, frozenset({200})),
    # argon2 (64 MiB, 3 passes) makes a sign-up cost as much CPU as ~100 reads: a small share.
    "create": (2, frozenset({201})),
    "delete": (1, frozenset({204})),
}
HOT_USERS = 12
FAILURE_SAMPLES = 20


@dataclass
class Lane:
    """One worker task: its own client holding its one connection, its random stream, and
    where its v2 keyset walk is."""

    client: httpx.AsyncClient
    rng: random.Random
    cursor: str | None = None


@dataclass(frozen=True)
class SeededUser:
    id: int
    uuid: str
    token: str


@dataclass(frozen=True)
class CreatedUser:
    version: int
    key: str  # v1: internal id; v2: uuid


@dataclass
class OpStats:
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: int = 0


@dataclass
class Failures:
    server_errors: int = 0
    timeouts: int = 0
    transport_errors: int = 0
    unexpected_status: int = 0
    samples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.server_errors + self.timeouts + self.transport_errors + self.unexpected_status

    def note(self, **detail: Any) -> None:
        if len(self.samples) < FAILURE_SAMPLES:
            self.samples.append(detail)


@dataclass
class SoakResult:
    seconds: float
    ops: dict[str, OpStats]
    failures: Failures
    warm: MemorySample
    end: MemorySample
    timeline: list[dict[str, float]]
    seed_seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(s.latencies) for s in self.ops.values())


def describe_error(exc: BaseException) -> str:
    """The exception and its causes: httpx's own message is often empty."""
    parts: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(parts) < 4:
        parts.append(f"{type(seen).__name__}: {seen}")
        seen = seen.__cause__ or seen.__context__
    return " <- ".join(parts)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def seed_users(
    client: httpx.AsyncClient, secret_key: str, count: int, parallel: int = 8
) -> list[SeededUser]:
    """`count` users signed up through v1; tokens minted with the service's secret."""
    gate = asyncio.Semaphore(parallel)

    async def one(i: int) -> SeededUser:
        async with gate:
            email = f"soak-seed-{i}-{uuid.uuid4().hex[:12]}@example.com"
            body = {"email": email, "full_name": f"Seed {i}", "password": PASSWORD}
            created = await client.post("/api/v1/users", json=body)
            assert created.status_code == 201, (created.status_code, created.text[:300])
            user_id = int(created.json()["id"])
            token = make_token(secret_key, user_id, ttl=900)
            me = await client.get("/api/v2/users/me", headers=bearer(token))
            assert me.status_code == 200, (me.status_code, me.text[:300])
            return SeededUser(id=user_id, uuid=str(me.json()["id"]), token=token)

    return list(await asyncio.gather(*(one(i) for i in range(count))))


class Soak:
    def __init__(
        self,
        connect: Callable[[], httpx.AsyncClient],
        *,
        admin_token: str,
        secret_key: str,
        seeded: list[SeededUser],
        launcher_pid: int,
        seed: int = 20260101,
    ) -> None:
        self.connect = connect
        self.admin = bearer(admin_token)
        self.secret_key = secret_key
        self.seeded = seeded
        self.hot = seeded[:HOT_USERS]
        self.launcher_pid = launcher_pid
        self.seed = seed
        self.ops = {name: OpStats() for name in OPS}
        self.failures = Failures()
        self.etags: dict[str, str] = {}
        self.created: list[CreatedUser] = []
        self.list_total = len(seeded)
        self.running = asyncio.Event()
        self.stopping = False
        self.in_flight = 0
        self.idle = asyncio.Event()
        self.idle.set()
        self.started = 0.0

    # ---- one request, judged --------------------------------------------------------------

    async def call(
        self, lane: Lane, op: str, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | None:
        stats = self.ops[op]
        begin = time.perf_counter()
        try:
            resp = await lane.client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            elapsed = time.perf_counter() - begin
            stats.latencies.append(elapsed)
            stats.failures += 1
            self.failures.timeouts += 1
            self.failures.note(
                op=op,
                method=method,
                url=url,
                error=type(exc).__name__,
                seconds=round(elapsed, 3),
                at=self.now(),
            )
            return None
        except httpx.TransportError as exc:
            stats.latencies.append(time.perf_counter() - begin)
            stats.failures += 1
            self.failures.transport_errors += 1
            self.failures.note(
                op=op, method=method, url=url, error=describe_error(exc), at=self.now()
            )
            return None
        stats.latencies.append(time.perf_counter() - begin)
        stats.statuses[resp.status_code] += 1
        if resp.status_code not in OPS[op][1]:
            stats.failures += 1
            if resp.status_code >= 500:
                self.failures.server_errors += 1
            else:
                self.failures.unexpected_status += 1
            self.failures.note(
                op=op,
                method=method,
                url=url,
                status=resp.status_code,
                body=resp.text[:300],
                at=self.now(),
            )
        return resp

    def now(self) -> float:
        return round(time.monotonic() - self.started, 2)

    # ---- the operations ---------------------------------------------------------------------

    def _as(self, lane: Lane, user: SeededUser) -> dict[str, str]:
        """Half the requests as the user itself, half as the admin."""
        return bearer(user.token) if lane.rng.random() < 0.5 else self.admin

    async def get_v1(self, lane: Lane) -> None:
        user = lane.rng.choice(self.seeded)
        await self.call(
            lane, "get_v1", "GET", f"/api/v1/users/{user.id}", headers=self._as(lane, user)
        )

    async def get_v2(self, lane: Lane, user: SeededUser | None = None) -> None:
        user = user or lane.rng.choice(self.seeded)
        resp = await self.call(
            lane, "get_v2", "GET", f"/api/v2/users/{user.uuid}", headers=self._as(lane, user)
        )
        if resp is not None and resp.status_code == 200 and "ETag" in resp.headers:
            self.etags[user.uuid] = resp.headers["ETag"]

    async def me_v1(self, lane: Lane) -> None:
        await self.call(
            lane,
            "me_v1",
            "GET",
            "/api/v1/users/me",
            headers=bearer(lane.rng.choice(self.seeded).token),
        )

    async def me_v2(self, lane: Lane) -> None:
        await self.call(
            lane,
            "me_v2",
            "GET",
            "/api/v2/users/me",
            headers=bearer(lane.rng.choice(self.seeded).token),
        )

    async def list_v1(self, lane: Lane) -> None:
        params = {
            "offset": lane.rng.randrange(self.list_total + 1),
            "limit": lane.rng.choice((10, 20, 50)),
        }
        resp = await self.call(
            lane, "list_v1", "GET", "/api/v1/users", params=params, headers=self.admin
        )
        if resp is not None and resp.status_code == 200:
            self.list_total = int(resp.json()["total"])

    async def list_v2(self, lane: Lane) -> None:
        """One page of a keyset walk; each connection walks on from where it was."""
        params: dict[str, str | int] = {"limit": 20}
        if lane.cursor:
            params["cursor"] = lane.cursor
        resp = await self.call(
            lane, "list_v2", "GET", "/api/v2/users", params=params, headers=self.admin
        )
        if resp is not None and resp.status_code == 200:
            lane.cursor = resp.json()["next_cursor"]

    async def patch_v2(self, lane: Lane) -> None:
        user = lane.rng.choice(self.hot)
        if user.uuid not in self.etags:
            await self.get_v2(lane, user)
        etag = self.etags.get(user.uuid)
        if etag is None:
            return
        resp = await self.call(
            lane,
            "patch_v2",
            "PATCH",
            f"/api/v2/users/{user.uuid}",
            json={"name": f"Soak {lane.rng.randrange(1_000_000)}"},
            headers={**self._as(lane, user), "If-Match": etag},
        )
        if resp is not None and resp.status_code == 200 and "ETag" in resp.headers:
            self.etags[user.uuid] = resp.headers["ETag"]
        elif resp is not None and resp.status_code == 412 and self.etags.get(user.uuid) == etag:
            del self.etags[user.uuid]

    async def patch_v1(self, lane: Lane) -> None:
        user = lane.rng.choice(self.hot)
        await self.call(
            lane,
            "patch_v1",
            "PATCH",
            f"/api/v1/users/{user.id}",
            json={"full_name": f"Soak v1 {lane.rng.randrange(1_000_000)}"},
            headers=self._as(lane, user),
        )

    async def create(self, lane: Lane) -> None:
        version = lane.rng.choice((1, 2))
        email = f"soak-{uuid.uuid4().hex[:16]}@example.com"
        name_key = "full_name" if version == 1 else "name"
        resp = await self.call(
            lane,
            "create",
            "POST",
            f"/api/v{version}/users",
            json={"email": email, name_key: "Soak Created", "password": PASSWORD},
        )
        if resp is not None and resp.status_code == 201:
            self.created.append(CreatedUser(version, str(resp.json()["id"])))

    async def delete(self, lane: Lane) -> None:
        if not self.created:
            await self.get_v2(lane)
            return
        victim = self.created.pop(lane.rng.randrange(len(self.created)))
        if victim.version == 1:
            # v1 sign-ups delete themselves, with the token the service would issue them.
            headers = bearer(make_token(self.secret_key, victim.key, ttl=900))
        else:
            headers = self.admin
        await self.call(
            lane, "delete", "DELETE", f"/api/v{victim.version}/users/{victim.key}", headers=headers
        )

    # ---- the run ----------------------------------------------------------------------------

    async def worker(self, index: int) -> None:
        rng = random.Random(self.seed * 1000 + index)  # noqa: S311 (a repeatable mix)
        names = list(OPS)
        weights = [OPS[n][0] for n in names]
        ops: dict[str, Callable[[Lane], Awaitable[None]]] = {
            "get_v1": self.get_v1,
            "get_v2": self.get_v2,
            "me_v1": self.me_v1,
            "me_v2": self.me_v2,
            "list_v1": self.list_v1,
            "list_v2": self.list_v2,
            "patch_v2": self.patch_v2,
            "patch_v1": self.patch_v1,
            "create": self.create,
            "delete": self.delete,
        }
        async with self.connect() as client:
            lane = Lane(client=client, rng=rng)
            while True:
                await self.running.wait()
                if self.stopping:
                    return
                if not self.running.is_set():  # held again between the wake-up and now
                    continue
                op = rng.choices(names, weights)[0]
                self.in_flight += 1
                self.idle.clear()
                try:
                    await ops[op](lane)
                finally:
                    self.in_flight -= 1
                    if not self.in_flight:
                        self.idle.set()

    async def quiesce(self) -> None:
        """Hold every worker before its next request and wait for the in-flight ones to end."""
        self.running.clear()
        await self.idle.wait()

    async def run(
        self, *, connections: int, seconds: float, warmup: float, settle: float
    ) -> SoakResult:
        """`seconds` of load (pauses excluded); memory read quiet after `warmup` and at the end.

        A reading taken under load would count the argon2 buffers (64 MiB each) of the sign-ups
        in flight, so both readings hold the load, wait `settle` seconds, then read.
        """
        self.started = time.monotonic()
        tasks = [asyncio.create_task(self.worker(i)) for i in range(connections)]
        timeline: list[dict[str, float]] = []
        sampler = asyncio.create_task(self._timeline(timeline))
        self.running.set()
        await asyncio.sleep(warmup)
        await self.quiesce()
        await asyncio.sleep(settle)
        warm = sample(self.launcher_pid)
        self.running.set()
        await asyncio.sleep(seconds - warmup)
        await self.quiesce()
        self.stopping = True
        self.running.set()
        await asyncio.gather(*tasks)
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        await asyncio.sleep(settle)
        end = sample(self.launcher_pid)
        return SoakResult(
            seconds=seconds,
            ops=self.ops,
            failures=self.failures,
            warm=warm,
            end=end,
            timeline=timeline,
        )

    async def _timeline(self, into: list[dict[str, float]], every: float = 5.0) -> None:
        """Readings under load, for the report only (they include argon2 buffers in flight)."""
        while True:
            reading = sample(self.launcher_pid)
            into.append({"t": self.now(), **reading.as_json()})
            await asyncio.sleep(every)
