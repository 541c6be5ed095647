"""The benchmark's own logic, without wrk or a running service: parsing, rules, seeding, report."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bakeoff.bench import data, measures, report, runner, scenario, scores, wrk

RESULT = {"requests": 5000, "duration_us": 10_000_000, "bytes": 1, "connect": 0, "read": 0,
          "write": 0, "status": 0, "timeout": 0, "p50_us": 1500, "p90_us": 2500, "p99_us": 9000,
          "mean_us": 1700.0, "max_us": 12000}  # fmt: skip


def test_wrk_summary_line_is_parsed() -> None:
    out = "Running 10s test\n" + wrk.RESULT_MARK + json.dumps(RESULT) + "\n"
    result = wrk.parse_output(out)
    assert result.rps == pytest.approx(500.0)
    assert result.failure is None


def test_wrk_without_summary_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="no result line"):
        wrk.parse_output("unable to connect")


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"status": 3}, "3 non-2xx/3xx responses"), ({"timeout": 1}, "socket errors"),
     ({"connect": 2}, "socket errors"), ({"requests": 0}, "no request completed")],
)  # fmt: skip
def test_errors_fail_the_run(change: dict[str, int], reason: str) -> None:
    result = wrk.WrkResult(**(RESULT | change))  # type: ignore[arg-type]
    assert result.failure is not None
    assert reason in result.failure


def test_a_failed_run_fails_the_scenario_instead_of_counting() -> None:
    good = wrk.WrkResult(**RESULT).as_dict()  # type: ignore[arg-type]
    bad = wrk.WrkResult(**(RESULT | {"status": 1, "requests": 99999})).as_dict()  # type: ignore[arg-type]
    summary = scenario.summarise([good, bad, good])
    assert summary["status"] == "failed"
    assert "rps" not in summary
    ok = scenario.summarise([good, wrk.WrkResult(**(RESULT | {"requests": 7000})).as_dict(), good])  # type: ignore[arg-type]
    assert ok["status"] == "ok"
    assert ok["rps"] == 500.0  # the median, not the mean
    assert ok["p99_ms"] == 9.0


def test_scenario_scripts_render_valid_lua_placeholders() -> None:
    text = wrk.script_text("create", tag="abc")
    assert "babc-" in text
    assert "{" + "tag}" not in text
    get = wrk.script_text("get", token="TOKEN", users=10_000)
    assert "Bearer TOKEN" in get
    assert wrk.SEED_UUID_PREFIX in get
    assert "math.random(1, 10000)" in get


def test_baseline_share_is_per_family() -> None:
    targets: list[dict[str, Any]] = [
        {"name": "asgi-baseline", "kind": "baseline", "family": "asgi",
         "scenarios": {"get": {"status": "ok", "rps": 1000.0}}},
        {"name": "wsgi-baseline", "kind": "baseline", "family": "wsgi",
         "scenarios": {"get": {"status": "ok", "rps": 400.0}}},
        {"name": "fastapi", "kind": "service", "family": "asgi",
         "scenarios": {"get": {"status": "ok", "rps": 250.0}}},
        {"name": "flask", "kind": "service", "family": "wsgi",
         "scenarios": {"get": {"status": "ok", "rps": 200.0}}},
    ]  # fmt: skip
    runner.add_baseline_shares(targets)
    assert targets[2]["scenarios"]["get"]["pct_of_baseline"] == 25.0
    assert targets[3]["scenarios"]["get"]["pct_of_baseline"] == 50.0


@pytest.mark.parametrize(
    ("public_id", "stamp"),
    [("0f0e0d0c0b0a49098807060504030201", "2026-11-25 13:18:29.123456"),
     ("0f0e0d0c-0b0a-4909-8807-060504030201", "2026-11-25 13:18:29.123456+00:00"),
     ("0f0e0d0c-0b0a-4909-8807-060504030201", "2026-11-25T13:18:29.123456Z")],
)  # fmt: skip
def test_sqlite_seed_copies_the_admin_row_formats(
    tmp_path: Path, public_id: str, stamp: str
) -> None:
    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, public_id TEXT UNIQUE, email TEXT UNIQUE,"
        " full_name TEXT, password_hash TEXT, role TEXT, status TEXT, version INTEGER,"
        " created_at TEXT, updated_at TEXT)"
    )
    conn.execute(
        "INSERT INTO users VALUES (1, ?, 'a@example.com', 'A', 'h', 'admin', 'active', 1, ?, ?)",
        (public_id, stamp, stamp),
    )
    conn.commit()
    conn.close()
    data.seed(f"sqlite:///{db}", 50)
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT public_id, created_at, email FROM users WHERE id > 1").fetchall()
    conn.close()
    assert len(rows) == 50
    first_id, first_stamp, email = rows[0]
    assert len(first_id) == len(public_id)
    assert len(first_stamp) == len(stamp)
    assert first_stamp[10] == stamp[10]
    assert email == "seed-1@bench.example.com"


def test_seed_refuses_a_foreign_table_shape(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
    conn.close()
    with pytest.raises(data.SeedError, match="lacks columns"):
        data.seed(f"sqlite:///{db}", 5)


def test_lines_are_counted_by_feature_without_tests_or_migrations(tmp_path: Path) -> None:
    pkg = tmp_path / "app"
    for rel, text in {
        "__init__.py": "",
        "users/__init__.py": "",
        "users/routes.py": "import x\n\n# a comment\ndef f():\n    return 1\n",
        "core/settings.py": "A = 1\n",
        "tests/test_x.py": "def test(): pass\n",
        "migrations/versions/001.py": "X = 1\n",
    }.items():
        path = pkg / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert measures.lines_by_feature(tmp_path) == {"core": 1, "users": 3}


def test_tox_result_json_is_read(tmp_path: Path) -> None:
    (tmp_path / "tox.json").write_text(
        json.dumps(
            {"testenvs": {"flask": {"test": [{"elapsed": 10.5}, {"elapsed": 4.5}], "setup": []}}}
        )
    )
    assert measures.tox_seconds("flask", [tmp_path]) == 15.0
    assert measures.tox_seconds("django", [tmp_path]) is None


def test_junit_scores_count_failures_and_skips(tmp_path: Path) -> None:
    xml = tmp_path / "x.xml"
    xml.write_text(
        '<testsuites><testsuite><testcase classname="tests.behaviour.test_a" name="a"/>'
        '<testcase classname="tests.behaviour.test_a" name="b"><failure/></testcase>'
        '<testcase classname="tests.contract.test_drift" name="c"/>'
        '<testcase classname="tests.behaviour.test_a" name="d"><skipped/></testcase>'
        "</testsuite></testsuites>"
    )
    assert scores.junit_score(xml) == scores.Score(2, 4)
    assert scores.junit_score(xml, "tests.behaviour") == scores.Score(1, 3)
    assert scores.junit_score(tmp_path / "missing.xml") is None


def test_report_is_self_contained(tmp_path: Path) -> None:
    bench = {
        "settings": {"scenarios": ["health"]},
        "targets": [{"name": "asgi-baseline", "kind": "baseline", "family": "asgi",
                     "scenarios": {"health": {"status": "ok", "rps": 10.0, "p50_ms": 1.0,
                                              "p99_ms": 2.0}}}],
    }  # fmt: skip
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(bench))
    assert report.write(path, tmp_path, tmp_path / "out") == 0
    page = (tmp_path / "out" / "index.html").read_text()
    assert page.count("<svg") >= 3
    assert "<script" not in page
    assert "<link" not in page
    assert "https://" not in page
    markdown = (tmp_path / "out" / "README.md").read_text()
    assert "| health | asgi-baseline | 10.0 |" in markdown


def test_endpoint_rows_read_each_layer_from_the_readme_table() -> None:
    from bakeoff.bench.rosetta import endpoint_cells

    readme = (
        "# x\n\n## Endpoints\n\n| operationId | route | handler | service | repository | model |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| v2_token | `POST /api/v2/auth/token` | [`token_issue`](app/auth/api.py) | "
        "[`token_issue`](app/auth/service.py) | [`Repo.add`](app/auth/repository.py), "
        "[`Repo.recent`](app/auth/repository.py) | — |\n\n## Next\n| a | b | c | d | e | f |\n"
    )
    cells = endpoint_cells(readme)
    assert list(cells) == ["v2_token"]
    paths, how = cells["v2_token"]
    assert paths == ["app/auth/api.py", "app/auth/service.py", "app/auth/repository.py"]
    assert how == (
        "handler `token_issue` → service `token_issue` → repository `Repo.add`, `Repo.recent`"
    )
