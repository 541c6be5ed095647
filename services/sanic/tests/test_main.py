"""The app factory as `sanic app.main:create_app --factory` loads it."""

from __future__ import annotations

from argparse import Namespace

from app.core.config import Settings
from sanic import Sanic
from sanic.worker.loader import AppLoader

from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD


async def test_sanic_cli_builds_the_app_from_the_factory(settings: Settings) -> None:
    # `sanic app.main:create_app --factory` loads it so: the CLI's arguments first, then none.
    Sanic.test_mode = True
    target = "app.main:create_app"
    app = AppLoader(target, as_factory=True, args=Namespace(target=target, factory=True)).load()
    assert app.ctx.settings is settings
    listeners = {(f.listener.__name__, f.event) for f in app._future_listeners}
    assert ("open_resources", "before_server_start") in listeners
    assert ("close_resources", "after_server_stop") in listeners
    _, resp = await app.asgi_client.post(
        "/api/v1/auth/token", data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    assert resp.status == 200, resp.text
