"""A real `dagster-webserver` for tests, on 127.0.0.1, against the project's workspace.yaml.

    with dagster_webserver(tmp_path) as ui:
        ui.url("/asset-groups")                       # http://127.0.0.1:<free port>/asset-groups
        ui.graphql("{ assetNodes { assetKey { path } } }")   # the `data` of the answer

The instance is a temporary DAGSTER_HOME holding the repo's dagster.yaml (with the first-visit "join the
community" dialog switched off, so pages render as an operator sees them after that), and NEWS_WAREHOUSE
points into the temporary folder: loading the code location never touches warehouse/news.duckdb.
Startup waits until the server answers and the code location is LOADED; otherwise it fails with the
server's log. The server and the code server it spawns are stopped together (their own process group).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import REPO

STARTUP_TIMEOUT = 90.0


class WebserverError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def webserver_executable() -> Path:
    """The dagster-webserver installed beside this Python (the project's .venv)."""
    return Path(sys.executable).with_name("dagster-webserver")


@dataclass
class Webserver:
    port: int
    process: subprocess.Popen
    log_path: Path
    location_name: str = ""
    repository_name: str = ""

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def graphql(self, query: str, variables: dict[str, Any] | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """POST /graphql; the answer's `data`. GraphQL errors raise with the server's messages."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode("utf-8")
        req = urllib.request.Request(self.url("/graphql"), data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                answer = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as e:  # a query the schema rejects answers 400 with its errors
            raise WebserverError(f"GraphQL HTTP {e.code}: {e.read().decode('utf-8', 'replace')[:2000]}") from e
        if answer.get("errors"):
            raise WebserverError("GraphQL errors: " + json.dumps(answer["errors"], ensure_ascii=False)[:2000])
        return answer["data"]

    @property
    def repository_selector(self) -> dict[str, str]:
        return {"repositoryLocationName": self.location_name, "repositoryName": self.repository_name}


WORKSPACE_QUERY = """
{ workspaceOrError { __typename
    ... on Workspace { locationEntries { name loadStatus
        locationOrLoadError { __typename
          ... on RepositoryLocation { name repositories { name } }
          ... on PythonError { message stack } } } }
    ... on PythonError { message } } }
"""


def _wait_until_loaded(ui: Webserver, deadline: float) -> None:
    """Poll /server_info, then the workspace, until every code location is LOADED (or fail)."""
    last = "no answer yet"
    while time.monotonic() < deadline:
        if ui.process.poll() is not None:
            raise WebserverError(f"dagster-webserver exited with {ui.process.returncode}:\n{ui.log_tail()}")
        try:
            with urllib.request.urlopen(ui.url("/server_info"), timeout=5) as resp:
                json.loads(resp.read())
            ws = ui.graphql(WORKSPACE_QUERY, timeout=10)["workspaceOrError"]
        except (OSError, ValueError, WebserverError) as e:
            last = f"{type(e).__name__}: {e}"
            time.sleep(0.5)
            continue
        if ws["__typename"] != "Workspace":
            raise WebserverError(f"workspace failed to load: {ws}\n{ui.log_tail()}")
        entries = ws["locationEntries"]
        if entries and all(e["loadStatus"] == "LOADED" for e in entries):
            broken = [e for e in entries if e["locationOrLoadError"]["__typename"] != "RepositoryLocation"]
            if broken:
                raise WebserverError("code location failed to load: "
                                     + json.dumps(broken, ensure_ascii=False)[:4000])
            loc = entries[0]["locationOrLoadError"]
            ui.location_name, ui.repository_name = loc["name"], loc["repositories"][0]["name"]
            return
        last = "locations: " + ", ".join(f"{e['name']}={e['loadStatus']}" for e in entries)
        time.sleep(0.5)
    raise WebserverError(f"dagster-webserver not ready after {STARTUP_TIMEOUT:.0f} s ({last}):\n{ui.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # the webserver and its code server run in the process group we created for them
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def dagster_webserver(tmp: Path, workspace: Path = REPO / "workspace.yaml") -> Iterator[Webserver]:
    home = tmp / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    instance = yaml.safe_load((REPO / "dagster.yaml").read_text(encoding="utf-8")) or {}
    instance["nux"] = {"enabled": False}
    (home / "dagster.yaml").write_text(yaml.safe_dump(instance, sort_keys=False), encoding="utf-8")
    env = dict(os.environ, DAGSTER_HOME=str(home), NEWS_WAREHOUSE=str(tmp / "warehouse" / "news.duckdb"),
               DO_NOT_TRACK="1")
    port = free_port()
    log_path = tmp / "webserver.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(webserver_executable()), "-w", str(workspace), "-h", "127.0.0.1", "-p", str(port)],
            cwd=workspace.parent, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    ui = Webserver(port=port, process=process, log_path=log_path)
    try:
        _wait_until_loaded(ui, time.monotonic() + STARTUP_TIMEOUT)
        yield ui
    finally:
        _stop(process)
