"""`make run` installs only what serving needs, and serving needs nothing more.

`make run` installs the project's own dependencies (`uv sync --no-default-groups`), not the `dev`
group (test tools) or the `spark` group (PySpark), which take most of a first install. These
tests keep that true: the Makefile installs and runs that way, nothing imported when the server
starts comes from a package left out, and the first-run steps (migrate, the demo, the first
pages) work with those packages made impossible to import.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Modules of the left-out packages that a library imports when they are there and does without
# when they are not (the last test proves it does without).
OPTIONAL = {
    "mypy_extensions",  # sqlglot: `try: from mypy_extensions import ...` (mypyc hints)
    "idna",  # jsonschema (through altair): `with suppress(ImportError): import idna` (IDN hostname checks)
}


def _uv() -> list[str]:
    uv = shutil.which("uv")
    if uv:
        return [uv]
    probe = subprocess.run(["python3", "-m", "uv", "--version"], capture_output=True, check=False)  # noqa: S607
    if probe.returncode == 0:
        return ["python3", "-m", "uv"]
    pytest.skip("uv is not installed (every make target installs it)")


def _locked(*flags: str) -> set[str]:
    """The distributions `uv sync --frozen <flags>` installs, from uv.lock."""
    out = subprocess.run(  # noqa: S603 - uv, on the project's own lock file
        [*_uv(), "export", "--frozen", "--no-hashes", "--no-header", "--no-emit-project", *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {_norm(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9._-]+)==", out, re.MULTILINE)}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def left_out_modules() -> tuple[set[str], set[str]]:
    """(distributions `make run` leaves out, the top-level modules that only they provide)."""
    left_out = _locked("--all-groups") - _locked("--no-default-groups")
    modules = {
        module
        for module, dists in importlib.metadata.packages_distributions().items()
        if dists and all(_norm(d) in left_out for d in dists)
    }
    return left_out, modules


def _python(code: str, env: dict[str, str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this Python, on the test's own code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _serving_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",  # what `make run` serves with
        DATABASE_URL=f"sqlite:///{tmp_path / 'sro.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SRO_LOG_LEVEL="WARNING",
    )
    return env


def test_the_makefile_serves_without_the_dev_and_spark_groups() -> None:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    lines = subprocess.run(
        ["make", "-n", "-B", "run", "demo"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    syncs = [line for line in lines if re.search(r"\buv sync\b", line)]
    assert syncs and all("--no-default-groups" in s and "--inexact" in s for s in syncs), syncs
    runs = [line for line in lines if re.search(r"\buv run\b", line)]
    assert runs and all("--no-sync" in r for r in runs), f"a plain `uv run` installs dev and spark: {runs}"
    assert any("runserver" in r for r in runs)


def test_nothing_imported_when_the_server_starts_comes_from_the_dev_or_spark_groups(tmp_path: Path) -> None:
    left_out, modules = left_out_modules()
    assert {"pyspark", "pytest", "hypothesis", "playwright", "mypy"} <= left_out
    assert {"pyspark", "pytest", "_pytest", "hypothesis"} <= modules
    code = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("check", "--fail-level", "ERROR")
import config.urls
from config.wsgi import application
from django.urls import reverse
reverse("api:openapi-view")
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""
    result = _python(code, _serving_env(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "django" in imported and "ninja" in imported
    unexpected = (imported & modules) - OPTIONAL
    assert not unexpected, f"imported at start from packages `make run` does not install: {unexpected}"


BLOCKED_RUN = """
import importlib.abc, json, os, sys

BLOCKED = set(json.loads(os.environ["SRO_BLOCKED_MODULES"]))
tried = []


class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            tried.append(name)
            raise ModuleNotFoundError(f"No module named {name!r} (make run does not install it)", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "--noinput", verbosity=0)
call_command("demo", "--if-empty")
from django.test import Client
from sro.orgs.models import User
anonymous = Client()
paths = ("/", "/accounts/login/", "/public/", "/api/v1/docs", "/healthz")
codes = {path: anonymous.get(path).status_code for path in paths}
director = Client()
director.force_login(User.objects.get(username="director"))
codes["/ (director)"] = director.get("/").status_code
codes["/api/v1/me (director)"] = director.get("/api/v1/me").status_code
print(json.dumps({"codes": codes, "tried": tried}))
"""


@pytest.mark.slow
def test_the_first_run_works_with_the_dev_and_spark_groups_absent(tmp_path: Path) -> None:
    _, modules = left_out_modules()
    env = _serving_env(tmp_path) | {"SRO_BLOCKED_MODULES": json.dumps(sorted(modules))}
    result = _python(BLOCKED_RUN, env, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Demo sign-ins:" in result.stdout
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["codes"] == {
        "/": 302,
        "/accounts/login/": 200,
        "/public/": 200,
        "/api/v1/docs": 200,
        "/healthz": 200,
        "/ (director)": 200,
        "/api/v1/me (director)": 200,
    }
    tried = {name.split(".")[0] for name in report["tried"]}
    assert tried <= OPTIONAL, f"tried to import, and did without: {tried - OPTIONAL}"
