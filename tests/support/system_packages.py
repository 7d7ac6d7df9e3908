"""The Debian packages some tests need: headless Chromium (+ Korean fonts), PostgreSQL and Redis. `make test-deps`
installs them (apt-get, as root; `make test`, `make test-deploy` and so `.ci/run` call it); a test never installs
anything itself. Where one is missing, the test that needs it skips and says how to install it."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from tests.support.paths import REPO

HOW = "run `make test-deps` (as root, with apt-get) to install it"


def chromium() -> str:
    """Path of Debian's chromium binary; skips the calling test when it is not installed."""
    found = shutil.which("chromium")
    if not found:
        pytest.skip(f"Debian's chromium is not installed: {HOW}")
    return found


def require_postgres_and_redis(*, redis: bool = True) -> None:
    """Skips the calling test unless the PostgreSQL server binaries (and redis-server) are installed."""
    if deploy_local().pg_bindir() is None:
        pytest.skip(f"the PostgreSQL server binaries (Debian's postgresql) are not installed: {HOW}")
    if redis and not (shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()):
        pytest.skip(f"redis-server (Debian's redis-server) is not installed: {HOW}")


def deploy_local():
    """deploy/local.py as a module (deploy/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("deploy_local", REPO / "deploy" / "local.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
