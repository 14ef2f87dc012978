"""docs/deploy/*.service supervise an install without Docker as docker-compose.yml does with
Docker: every process restarted whenever it exits, with the same commands.

systemd itself checks the units where `systemd-analyze` is installed; nothing is started.
"""

from __future__ import annotations

import configparser
import getpass
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_compose import load_compose

ROOT = Path(__file__).resolve().parents[1]
UNITS = ROOT / "docs" / "deploy"
PROCESSES = ("web", "worker", "beat")
INSTALL_DIR = "/opt/kolhub"


def unit(process: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # systemd keys keep their case
    parser.read_string((UNITS / f"kolhub-{process}.service").read_text(encoding="utf-8"))
    return parser


def command(process: str) -> list[str]:
    """The unit's command, its program by name as docker-compose.yml writes it."""
    program, *args = shlex.split(unit(process)["Service"]["ExecStart"])
    assert program.startswith(f"{INSTALL_DIR}/.venv/bin/"), program
    return [Path(program).name, *args]


def test_it_restarts_every_process_whenever_it_exits():
    for process in PROCESSES:
        service = unit(process)
        assert service["Service"]["Restart"] == "always", process
        assert int(service["Service"]["RestartSec"]) > 0, process
        # By default systemd gives up after five starts in ten seconds.
        assert service["Unit"]["StartLimitIntervalSec"] == "0", process


def test_it_runs_the_worker_and_beat_as_docker_compose_does():
    services = load_compose()["services"]
    for process in ("worker", "beat"):
        compose = [arg.replace(":-2}", "}") for arg in services[process]["command"]]
        assert command(process) == compose, process


def test_it_lets_a_stopping_worker_finish_its_tasks():
    service = unit("worker")["Service"]
    # SIGTERM to Celery's main process only, which stops taking tasks and waits for the pool.
    assert service["KillMode"] == "mixed"
    grace = int(load_compose()["services"]["worker"]["stop_grace_period"].removesuffix("s"))
    assert int(service["TimeoutStopSec"]) >= grace


def test_systemd_accepts_the_units(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    user = getpass.getuser()
    for process in PROCESSES:
        text = (UNITS / f"kolhub-{process}.service").read_text(encoding="utf-8")
        # This checkout stands in for the install, whose programs must exist; this user for
        # kolhub; the environment file is made optional (it is not on this machine).
        text = text.replace(INSTALL_DIR, str(ROOT)).replace("=kolhub\n", f"={user}\n")
        text = text.replace("EnvironmentFile=", "EnvironmentFile=-")
        (tmp_path / f"kolhub-{process}.service").write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(tmp_path.glob("*.service"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
