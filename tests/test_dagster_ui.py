"""The Dagster UI an operator opens: a real dagster-webserver on 127.0.0.1 against workspace.yaml, asked
through its GraphQL API for the asset lineage, the nightly schedule and the asset checks, and its
asset-graph page rendered in headless Chromium (docs/asset-graph.png when UPDATE_SCREENSHOTS=1)."""
from __future__ import annotations

import os
import re
import struct
import zlib
from collections import deque
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipelines.checks import ASSET_CHECKS
from pipelines.export import MARTS
from tests.support.chromium import run_chromium
from tests.support.system_packages import chromium as chromium_binary
from tests.support.dagster_ui import WebserverError, dagster_webserver
from tests.support.paths import REPO

pytestmark = pytest.mark.e2e

FETCH = ("raw", "pages")
SCHEDULE = "nightly_refresh_schedule"
# the screenshot: raw and marts expanded, reference/staging/intermediate collapsed, so the whole lineage
# raw → marts → published fits one screen (group ids are "global@global:<group>" in the UI's URL state)
SHOWN_GROUPS = ("raw", "marts", "published")
WINDOW = (1600, 1000)
SCALE = 2  # device pixels per CSS pixel: labels stay legible when the README image is opened full size
SCREENSHOT = REPO / "docs" / "asset-graph.png"


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    try:
        with dagster_webserver(tmp_path_factory.mktemp("dagster_ui")) as server:
            yield server
    except WebserverError as e:
        pytest.fail(str(e), pytrace=False)


def _key(path: list[str]) -> tuple[str, ...]:
    return tuple(path)


def _show(key: tuple[str, ...]) -> str:
    return "/".join(key)


@pytest.fixture(scope="module")
def asset_nodes(ui):
    nodes = ui.graphql("""
        { assetNodes { assetKey { path } dependencyKeys { path } groupName isMaterializable
            assetChecksOrError { __typename
              ... on AssetChecks { checks { name description } }
              ... on AssetCheckNeedsMigrationError { message }
              ... on AssetCheckNeedsUserCodeUpgrade { message }
              ... on AssetCheckNeedsAgentUpgradeError { message } } } }
    """)["assetNodes"]
    assert nodes, "the webserver reports no assets at all"
    return {_key(n["assetKey"]["path"]): n for n in nodes}


def _path_upstream(nodes: dict, start: tuple[str, ...], goal: tuple[str, ...]) -> list[tuple[str, ...]] | None:
    """A shortest chain start → … → goal following dependencyKeys (upstream), or None."""
    came_from: dict[tuple[str, ...], tuple[str, ...] | None] = {start: None}
    todo = deque([start])
    while todo:
        key = todo.popleft()
        if key == goal:
            chain = [key]
            while came_from[chain[-1]] is not None:
                chain.append(came_from[chain[-1]])
            return chain[::-1]
        for dep in nodes.get(key, {}).get("dependencyKeys", []):
            parent = _key(dep["path"])
            if parent not in came_from:
                came_from[parent] = key
                todo.append(parent)
    return None


def test_every_mart_has_an_upstream_path_to_the_fetch_asset(asset_nodes):
    marts = sorted(k for k in asset_nodes if k[0] == "marts")
    assert {k[1] for k in marts} == set(MARTS), f"marts in the UI: {[_show(k) for k in marts]}"
    fetch = asset_nodes.get(FETCH)
    assert fetch is not None, f"{_show(FETCH)} is not in the asset graph"
    assert fetch["isMaterializable"], f"{_show(FETCH)} is a stub, not the fetch asset"
    missing = {}
    for mart in marts:
        chain = _path_upstream(asset_nodes, mart, FETCH)
        if chain is None:
            missing[_show(mart)] = "no path"
            continue
        # the lineage really runs through the layers: marts ← … staging … ← raw/pages
        layers = [k[0] for k in chain]
        assert "staging" in layers, f"{_show(mart)} reaches the fetch asset without staging: {chain}"
    assert not missing, f"marts without an upstream path to {_show(FETCH)}: {missing}"


def test_the_nightly_schedule_runs_the_job_at_two_in_seoul(ui):
    selector = {**ui.repository_selector, "scheduleName": SCHEDULE}
    answer = ui.graphql("""
        query ($selector: ScheduleSelector!) { scheduleOrError(scheduleSelector: $selector) { __typename
            ... on Schedule { name cronSchedule executionTimezone pipelineName
                              futureTicks(limit: 3) { results { timestamp } } }
            ... on ScheduleNotFoundError { message }
            ... on PythonError { message } } }
    """, {"selector": selector})["scheduleOrError"]
    assert answer["__typename"] == "Schedule", answer
    assert answer["cronSchedule"] == "0 2 * * *"
    assert answer["executionTimezone"] == "Asia/Seoul"
    assert answer["pipelineName"] == "nightly_refresh"  # the job's name ("pipeline" in GraphQL, still)
    # the next ticks the server computes fall at 02:00 in Seoul, one day apart
    ticks = [datetime.fromtimestamp(t["timestamp"], ZoneInfo("Asia/Seoul"))
             for t in answer["futureTicks"]["results"]]
    assert len(ticks) == 3, answer
    assert all((t.hour, t.minute) == (2, 0) for t in ticks), ticks
    assert all((b - a).total_seconds() == 86_400 for a, b in zip(ticks, ticks[1:])), ticks


def _checks(node: dict) -> list[str]:
    checks = node["assetChecksOrError"]
    assert checks["__typename"] == "AssetChecks", checks
    return [c["name"] for c in checks["checks"]]


def test_dbt_tests_are_asset_checks_on_every_mart(asset_nodes):
    problems = {}
    for name in MARTS:
        key = ("marts", name)
        assert key in asset_nodes, f"{_show(key)} missing"
        names = _checks(asset_nodes[key])
        if not names:
            problems[_show(key)] = "no asset checks"
        elif not any(n.startswith(("not_null_", "unique_")) for n in names):
            problems[_show(key)] = f"no not_null_/unique_ dbt test among {names}"
    assert not problems, problems
    budgets = _checks(asset_nodes[("marts", "fct_budgets")])
    assert "unique_fct_budgets_budget_id" in budgets, budgets


def test_python_checks_sit_on_their_assets(asset_nodes):
    expected = [(_key(k.asset_key.path), k.name) for c in ASSET_CHECKS for k in c.check_keys]
    assert len(expected) >= 4
    for key, name in expected:
        assert key in asset_nodes, f"{_show(key)} (checked by {name}) missing from the asset graph"
        assert name in _checks(asset_nodes[key]), f"check {name} not shown on {_show(key)}"


def png_summary(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values in a sample of the decompressed pixel rows)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)[::101]))


def test_the_asset_graph_page_renders_the_lineage(ui, tmp_path):
    chromium = chromium_binary()
    page = ui.url("/asset-groups?expanded=" + ",".join(f"global@global:{g}" for g in SHOWN_GROUPS))
    size = f"--window-size={WINDOW[0]},{WINDOW[1]}"
    wanted = [*MARTS, "discovered_urls", "pages", "warehouse_snapshot"]
    missing = wanted
    for attempt, budget in enumerate((15_000, 45_000)):  # the UI is a React app: wait longer once if needed
        dom = run_chromium(chromium, page, tmp_path / f"dom-profile-{attempt}", size, "--dump-dom",
                           f"--virtual-time-budget={budget}")
        assert dom.returncode == 0, dom.stderr[-2000:]
        # the graph shortens a long label in the middle (fct_proje…_budgets): that counts as drawn
        shortened = [tuple(t.split("…", 1)) for t in re.findall(r">([^<>]*…[^<>]*)<", dom.stdout)]
        missing = [name for name in wanted if f">{name}<" not in dom.stdout
                   and not any(len(a) + len(b) >= 8 and name.startswith(a) and name.endswith(b)
                               for a, b in shortened)]
        if not missing:
            break
    text = re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>", " ", dom.stdout, flags=re.S)
    assert not missing, f"asset nodes not drawn: {missing}; the page said: {' '.join(text.split())[:1500]}"
    assert "Join the Dagster community" not in dom.stdout, "the first-visit dialog would cover the graph"

    shot = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path / "asset-graph.png"
    shot.unlink(missing_ok=True)
    proc = run_chromium(chromium, page, tmp_path / "shot-profile", size, f"--force-device-scale-factor={SCALE}",
                        f"--screenshot={shot}", f"--virtual-time-budget={budget}")
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    width, height, distinct = png_summary(shot)
    assert (width, height) == (WINDOW[0] * SCALE, WINDOW[1] * SCALE)
    assert shot.stat().st_size > 100_000, "the screenshot is nearly empty"
    assert distinct > 32, "the screenshot is one flat colour"
