"""OpenAPI document and Swagger UI, served by the service itself with no CDN."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import yaml

from tests.support.assertions import assert_common_headers, assert_json, describe, media_type
from tests.support.live import REPO_ROOT, LiveService

CONTRACT = Path(REPO_ROOT) / "contract" / "openapi.yaml"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


class _References(HTMLParser):
    """Every URL the page makes the browser fetch: scripts, stylesheets, icons, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe") and values.get("src"):
            self.urls.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.urls.append(str(values["href"]))


def test_openapi_json_is_served(api: httpx.Client) -> None:
    doc = assert_json(api.get("/openapi.json"), 200)
    assert isinstance(doc, dict)
    assert str(doc["openapi"]).startswith("3.")


def test_openapi_json_has_every_contract_operation(api: httpx.Client) -> None:
    contract: dict[str, Any] = yaml.safe_load(CONTRACT.read_text())
    served: dict[str, Any] = api.get("/openapi.json").json()
    expected = {
        (path, method)
        for path, item in contract["paths"].items()
        for method in item
        if method in METHODS
    }
    got = {
        (path, method)
        for path, item in served.get("paths", {}).items()
        for method in item
        if method in METHODS
    }
    assert expected <= got, f"missing operations: {sorted(expected - got)}"


def test_docs_page_and_its_assets_are_local(api: httpx.Client, service: LiveService) -> None:
    resp = api.get("/docs")
    assert resp.status_code == 200, describe(resp)
    assert media_type(resp) == "text/html", describe(resp)
    assert_common_headers(resp)
    parser = _References()
    parser.feed(resp.text)
    assert parser.urls, "the docs page references no assets"
    origin = urlsplit(service.base_url)
    texts = [resp.text]
    for url in parser.urls:
        absolute = urlsplit(urljoin(f"{service.base_url}/docs", url))
        assert (absolute.scheme, absolute.netloc) == (origin.scheme, origin.netloc), (
            f"{url} is not served by the service itself"
        )
        asset = api.get(absolute.path + (f"?{absolute.query}" if absolute.query else ""))
        assert asset.status_code == 200, describe(asset)
        texts.append(asset.text)
    assert any("SwaggerUIBundle" in text for text in texts), "Swagger UI's bundle is not loaded"
    assert any("/openapi.json" in text for text in texts), "Swagger UI is not fed /openapi.json"
