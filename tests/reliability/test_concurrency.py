"""Racing writers: optimistic concurrency holds (no lost update) and uniqueness holds under load."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.assertions import describe
from tests.support.live import LiveService
from tests.support.users import ApiUser, UserFactory, unique_email

RACERS = 10


def test_racing_patches_with_one_etag_let_exactly_one_win(
    service: LiveService, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    target: ApiUser = users.create(version=2, prefix="race-patch")
    with httpx.Client(base_url=service.base_url, timeout=30) as client:
        etag = client.get(f"/api/v2/users/{target.uuid}", headers=admin_headers).headers["ETag"]

    def patch(i: int) -> httpx.Response:
        with httpx.Client(base_url=service.base_url, timeout=30) as client:
            return client.patch(
                f"/api/v2/users/{target.uuid}",
                json={"name": f"Racer {i}"},
                headers={**admin_headers, "If-Match": etag},
            )

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        responses = list(pool.map(patch, range(RACERS)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * (RACERS - 1), [describe(r) for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()
    with httpx.Client(base_url=service.base_url, timeout=30) as client:
        stored = client.get(f"/api/v2/users/{target.uuid}", headers=admin_headers)
    assert stored.json()["name"] == winner["name"]
    assert stored.headers["ETag"] != etag


def test_twenty_racing_sign_ups_of_one_email_make_one_user(
    service: LiveService, admin_headers: dict[str, str]
) -> None:
    email = f"race-create-{uuid.uuid4().hex[:12]}@example.com"

    def create(i: int) -> httpx.Response:
        with httpx.Client(base_url=service.base_url, timeout=60) as client:
            return client.post(
                f"/api/v{1 + i % 2}/users",
                json={"email": email, ("full_name" if i % 2 == 0 else "name"): f"Racer {i}",
                      "password": "correct-horse-battery"},
            )  # fmt: skip

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(create, range(20)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19, [describe(r) for r in responses]
    with httpx.Client(base_url=service.base_url, timeout=30) as client:
        listed = client.get("/api/v2/users", params={"email": email}, headers=admin_headers)
    assert len(listed.json()["data"]) == 1


def walk_v2(client: httpx.Client, headers: dict[str, str], limit: int) -> list[str]:
    """Every id the v2 cursor walk yields, in order (bounded: a cycle cannot run forever)."""
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(100_000):
        params: dict[str, str | int] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        resp = client.get("/api/v2/users", params=params, headers=headers)
        assert resp.status_code == 200, describe(resp)
        page = resp.json()
        seen.extend(user["id"] for user in page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("the cursor walk did not end")


def test_keyset_walk_during_inserts_sees_every_existing_user_once(
    service: LiveService, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    for _ in range(5):
        users.create(version=2, prefix="walk")
    with httpx.Client(base_url=service.base_url, timeout=30) as client:
        before = walk_v2(client, admin_headers, limit=100)

    inserted: list[float] = []
    walking = threading.Event()
    done = threading.Event()

    def insert_until_done() -> None:
        with httpx.Client(base_url=service.base_url, timeout=30) as client:
            while not done.is_set():
                resp = client.post(
                    "/api/v2/users",
                    json={"email": unique_email("walk-new"), "name": "New",
                          "password": "correct-horse-battery"},
                )  # fmt: skip
                assert resp.status_code == 201, describe(resp)
                if walking.is_set():
                    inserted.append(time.monotonic())

    with ThreadPoolExecutor(max_workers=2) as pool:
        inserter = pool.submit(insert_until_done)
        try:
            with httpx.Client(base_url=service.base_url, timeout=30) as client:
                walking.set()
                during = walk_v2(client, admin_headers, limit=3)
        finally:
            done.set()
        inserter.result()

    assert len(during) == len(set(during)), "the walk returned a user twice"
    missing = set(before) - set(during)
    assert not missing, f"{len(missing)} existing users were skipped"
    assert during[: len(before)] == before, "existing users came out of order"
    assert inserted, "no insert overlapped the walk: the test proved nothing"


def test_racing_v1_patches_all_apply_one_after_another(
    service: LiveService, users: UserFactory, admin_headers: dict[str, str]
) -> None:
    """v1 has no If-Match: concurrent writes queue on the row and each answers 200."""
    target: ApiUser = users.create(version=1, prefix="race-v1")

    def patch(i: int) -> httpx.Response:
        with httpx.Client(base_url=service.base_url, timeout=30) as client:
            return client.patch(
                f"/api/v1/users/{target.id}",
                json={"full_name": f"Racer {i}"},
                headers=admin_headers,
            )

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        responses = list(pool.map(patch, range(RACERS)))
    assert [r.status_code for r in responses] == [200] * RACERS, [describe(r) for r in responses]
    with httpx.Client(base_url=service.base_url, timeout=30) as client:
        stored = client.get(f"/api/v2/users/{target.uuid}", headers=admin_headers)
    assert stored.json()["name"] in {r.json()["full_name"] for r in responses}
    assert stored.headers["ETag"].endswith(f'.{1 + RACERS}"'), "an update was lost"
