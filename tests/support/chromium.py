"""Headless Chromium for tests: Debian's `chromium`, installed by the test setup where missing."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def ensure_chromium() -> str | None:
    """Path of a chromium binary, installing Debian's package (as root) when missing; None if impossible."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # fonts-nanum: Korean glyphs for screenshots
    for cmd in (["apt-get", "install", "-y", "-q", "chromium", "fonts-nanum"],
                ["sh", "-c", "apt-get update -q && apt-get install -y -q chromium fonts-nanum"]):
        if subprocess.run(cmd, env=env, capture_output=True, timeout=900).returncode == 0:
            break
    return shutil.which("chromium")


def run_chromium(binary: str, url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                          capture_output=True, text=True, timeout=120)
