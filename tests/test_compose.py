"""docker-compose.yml is a valid Compose file whose services the README can rely on.

Docker is not needed: the file is checked against the Compose specification's schema and
read as YAML.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
README = ROOT / "README.md"
DOCKERFILE = ROOT / "Dockerfile"
MAKEFILE = ROOT / "Makefile"

CORE_SERVICES = ("postgres", "redis", "web", "worker", "beat")
APP_SERVICES = ("web", "worker", "beat")

SCALE = re.compile(r"--scale ([a-z][\w-]*)=")
COMPOSE_COMMAND = re.compile(
    r"docker[ -]compose (?:up|logs|restart|run|exec|start|stop)"
    r"(?: -{1,2}[\w-]+(?:=\S+)?)* ([a-z][\w-]*)"
)


def load_compose() -> dict[str, Any]:
    # ruamel.yaml comes with check-jsonschema; it resolves the file's anchors and merge keys.
    return YAML(typ="safe", pure=True).load(COMPOSE_FILE.read_text(encoding="utf-8"))


def readme_code() -> str:
    """The fenced blocks and inline code of README.md, where commands are written."""
    text = README.read_text(encoding="utf-8")
    fenced = re.findall(r"^```.*?^```", text, flags=re.MULTILINE | re.DOTALL)
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    inline = re.findall(r"`([^`\n]+)`", prose)
    return "\n".join([*fenced, *inline])


def test_it_is_valid_against_the_compose_specification():
    check_jsonschema = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check_jsonschema), "--builtin-schema", "vendor.compose-spec", COMPOSE_FILE.name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_has_no_obsolete_version_key():
    assert "version" not in load_compose()


def test_it_defines_every_service_with_a_healthcheck():
    services = load_compose()["services"]
    for name in CORE_SERVICES:
        assert name in services, f"service {name!r} missing"
        healthcheck = services[name].get("healthcheck")
        assert healthcheck, f"service {name!r} has no healthcheck"
        assert not healthcheck.get("disable"), f"service {name!r} disables its healthcheck"
        assert healthcheck.get("test"), f"service {name!r} has an empty healthcheck"


def test_it_lets_the_worker_scale_out():
    worker = load_compose()["services"]["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker


def test_it_runs_the_app_in_production_mode_against_postgres_and_redis():
    services = load_compose()["services"]
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert str(environment["DEBUG"]) == "0", name
        assert environment["DATABASE_URL"].startswith("postgres://"), name
        assert environment["DATABASE_URL"].endswith("@postgres:5432/kolhub"), name
        assert environment["REDIS_URL"] == "redis://redis:6379/0", name
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), name


def test_it_starts_the_app_only_once_its_dependencies_are_healthy():
    services = load_compose()["services"]
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def test_it_installs_the_same_uv_as_the_makefile():
    makefile_version = re.search(r"^UV_VERSION\s*:?=\s*(\S+)", MAKEFILE.read_text(), re.MULTILINE)
    assert makefile_version, "UV_VERSION not found in the Makefile"
    assert f"uv=={makefile_version.group(1)}" in DOCKERFILE.read_text()


def test_it_has_every_service_that_the_readme_names():
    if not README.exists():
        pytest.skip("README.md not written yet")
    code = readme_code()
    scaled = SCALE.findall(code)
    named = COMPOSE_COMMAND.findall(code)
    services = load_compose()["services"]
    unknown = sorted({name for name in [*scaled, *named] if name not in services})
    assert not unknown, f"README.md names services docker-compose.yml lacks: {unknown}"
    assert "worker" in scaled, "README.md should show `docker compose up -d --scale worker=N`"


def test_it_restarts_every_long_running_service_unless_stopped():
    services = load_compose()["services"]
    for name in CORE_SERVICES:
        assert services[name].get("restart") == "unless-stopped", name
    assert services["migrate"]["restart"] == "no"  # a one-shot job: done once it succeeded
