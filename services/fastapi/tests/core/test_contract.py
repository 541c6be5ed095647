import subprocess
import sys

from app.core.contract import allow_header, standard_headers

FRAMEWORKS = ("fastapi", "starlette", "pydantic", "sqlalchemy", "uvicorn", "celery")


def test_contract_module_imports_no_framework() -> None:
    probe = (
        "import sys, app.core.contract; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({FRAMEWORKS!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_allow_header_and_standard_headers() -> None:
    assert allow_header({"POST", "GET"}) == "GET, POST"
    assert standard_headers("/api/v2/auth/token", "r")["Cache-Control"] == "no-store"
    assert "Deprecation" in standard_headers("/api/v1/users", "r")
