"""What a night's dbt step builds, decided from the dbt manifest and the raw tables' signatures, without Dagster.

The dbt asset (pipelines/assets/dbt.py) asks `plan()` and runs what it says:

* a full build (`dbt build --full-refresh`) on the first night, after any change to the dbt project (a model, seed,
  test or macro: `project_signature`) and when asked (`full_build`);
* otherwise `dbt build` of the models downstream of the raw tables whose signature moved since the last successful
  build (what `--select source:raw.<table>+` selects), said as an `--exclude` of every other model and seed because
  dagster-dbt appends the step's own `--select`, with dbt's `cautious` indirect selection (`PARTIAL_BUILD_TESTS`):
  the build runs every test that reads a rebuilt model, those that also read a reused one included; the models not
  rebuilt are reused and their checks replayed (`checks_to_replay`).

`layer()` names a node's layer (models/<layer>/… or `reference` for seeds): the asset keys and groups follow it.
"""
from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

LAYERS = ("staging", "intermediate", "marts", "reporting")
PROJECT_KEY = "(dbt project)"  # the dbt project's own signature, stored beside the raw tables' signatures
SKIPPED = "skipped: a test (severity error) or a model upstream of it failed"
# dbt's indirect selection for a partial build (dbt's DBT_INDIRECT_SELECTION). Under dbt's default, `eager`, an
# `--exclude` of a model also excludes every test that reads it, so a test that reads a rebuilt model and a reused one
# (the relationships from fct_fetches to dim_articles) was left out of the build and needed a `dbt test` of its own:
# a second dbt process every quiet night. Under `cautious` an excluded model takes along only the tests all of whose
# parents are excluded (the reused models' own tests, replayed): the build runs every test that reads a rebuilt model.
# A full build selects everything, where the modes agree.
PARTIAL_BUILD_TESTS = "cautious"


def layer(props: Mapping[str, Any]) -> str | None:
    """The layer of a dbt node from its folder (models/<layer>/...) or 'reference' for seeds."""
    if props["resource_type"] == "seed":
        return "reference"
    for part in (props.get("fqn") or [])[1:-1]:
        if part in LAYERS:
            return part
    return None


def nodes(manifest: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The models and seeds (what builds a relation) by unique id."""
    return {uid: props for uid, props in manifest["nodes"].items() if props["resource_type"] in ("model", "seed")}


def source_tables(manifest: Mapping[str, Any]) -> list[str]:
    """The raw tables the dbt project reads (its `raw` sources)."""
    return sorted({s["name"] for s in manifest["sources"].values() if s["source_name"] == "raw"})


def project_signature(manifest: Mapping[str, Any]) -> str:
    """Moves when any model, seed, test or macro of the dbt project changes (then everything is rebuilt)."""
    parts = sorted(f"{k}:{(v.get('checksum') or {}).get('checksum', '')}"
                   for section in ("nodes", "macros") for k, v in manifest.get(section, {}).items())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def changed_tables(current: Mapping[str, str], built: Mapping[str, str], full_build: bool = False) -> list[str] | None:
    """None: build everything; else the raw tables whose signature moved since the last successful build
    (an empty list: nothing changed). The first build, a changed dbt project and full_build build everything."""
    if full_build or not built or built.get(PROJECT_KEY) != current.get(PROJECT_KEY):
        return None
    return sorted(t for t, sig in current.items() if t != PROJECT_KEY and built.get(t) != sig)


def downstream_of(manifest: Mapping[str, Any], tables: list[str]) -> set[str]:
    """The models and seeds (unique ids) downstream of the given raw source tables (`source:raw.<table>+`)."""
    todo = [uid for uid, src in manifest["sources"].items() if src["source_name"] == "raw" and src["name"] in tables]
    seen: set[str] = set()
    while todo:
        for child in manifest["child_map"].get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen & set(nodes(manifest))


def topological(manifest: Mapping[str, Any]) -> list[str]:
    """The models and seeds, each after its parents (ties by unique id: the same order every night)."""
    by_id, order, seen = nodes(manifest), [], set()

    def visit(uid: str) -> None:
        if uid in seen:
            return
        seen.add(uid)
        for parent in manifest["parent_map"].get(uid, []):
            if parent in by_id:
                visit(parent)
        order.append(uid)

    for uid in sorted(by_id):
        visit(uid)
    return order


@dataclass(frozen=True)
class BuildPlan:
    changed: list[str] | None   # None: a full build; else the raw tables that moved (possibly none)
    rebuilt: frozenset[str]     # unique ids dbt builds
    reused: tuple[str, ...]     # unique ids kept from the last build, in topological order
    signatures: Mapping[str, str]  # what to record once the build succeeded (raw tables and PROJECT_KEY)

    @property
    def full(self) -> bool:
        return self.changed is None

    @property
    def indirect_selection(self) -> str | None:
        """dbt's indirect selection for the build (None: dbt's default): PARTIAL_BUILD_TESTS when models are
        excluded."""
        return PARTIAL_BUILD_TESTS if not self.full and self.reused else None

    def build_args(self, manifest: Mapping[str, Any]) -> list[str] | None:
        """The dbt argv of the build (None: nothing to build)."""
        if self.full:
            return ["build", "--full-refresh"]
        if not self.rebuilt:
            return None
        by_id = nodes(manifest)
        return ["build", "--exclude", " ".join(by_id[uid]["name"] for uid in self.reused)]


def plan(manifest: Mapping[str, Any], current: Mapping[str, str], built: Mapping[str, str],
         full_build: bool = False) -> BuildPlan:
    """What to build tonight: `current` and `built` map raw tables (and PROJECT_KEY) to signatures."""
    current = {**current, PROJECT_KEY: project_signature(manifest)}
    changed = changed_tables(current, built, full_build)
    order = topological(manifest)
    rebuilt = set(order) if changed is None else downstream_of(manifest, changed)
    return BuildPlan(changed, frozenset(rebuilt), tuple(uid for uid in order if uid not in rebuilt), current)


def test_args(ran: set[str] | list[str]) -> list[str]:
    """`dbt test` of every test the build did not run (those of the reused models)."""
    ran = sorted(set(ran))
    return ["test", "--exclude", " ".join(ran)] if ran else ["test"]


def tests_reading(manifest: Mapping[str, Any], rebuilt: Iterable[str]) -> set[str]:
    """The names of the data tests that read a rebuilt model or seed (any of their parents): their result may have
    moved tonight. (dbt build skips a test that also reads an excluded, reused model: a relationship test from a
    rebuilt fact to a reused dimension.)"""
    rebuilt = set(rebuilt)
    return {props["name"] for uid, props in manifest["nodes"].items()
            if props["resource_type"] == "test" and rebuilt & set(manifest["parent_map"].get(uid, []))}


def checks_to_replay(expected: Iterable[Hashable], ran: Iterable[Hashable], recorded: Iterable[Hashable],
                     stale: Iterable[Hashable] = ()) -> tuple[set[Hashable], set[Hashable]]:
    """(replayed, to_run) for the checks the build did not run, on a night that is not a full build.

    A check that reads only reused models (not in `stale`, see tests_reading) reads nothing that changed since the
    last successful build (same raw signatures, same dbt project: else the plan would have rebuilt them), so its
    last recorded evaluation is its result tonight and is re-reported as it is (replayed). A check with no recorded
    evaluation, or one that reads a rebuilt model, is run (`dbt test` of those alone; none on a quiet night).
    `expected`: the checks of the selected assets; `ran`: those the build reported; `recorded`: those with a
    completed evaluation on record."""
    missing = set(expected) - set(ran)
    replayed = (missing & set(recorded)) - set(stale)
    return replayed, missing - replayed


def rerun_test_args(not_to_run: Iterable[str], to_run: Iterable[str]) -> list[str] | None:
    """`dbt test` of the checks in `to_run` alone (said as an --exclude of those ran or replayed, as the build's
    argv is), without the unit tests: they read fixtures, not the warehouse, so only a change to the dbt project
    can move them, and that is a full build, which runs them. None when there is none to run: no dbt invocation."""
    return [*test_args(set(not_to_run)), "--exclude-resource-type", "unit_test"] if set(to_run) else None


def failures_in(run_results: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(unique_id, '<resource> <name>: <message>') of every model, seed or snapshot in dbt's run_results.json that
    ended in error or was skipped because something upstream failed (tests are check results, not failures)."""
    out = []
    for r in run_results.get("results", []):
        uid = r.get("unique_id", "")
        if uid.split(".", 1)[0] in ("test", "unit_test"):
            continue
        status = r.get("status")
        if status in ("error", "runtime error", "skipped"):
            message = SKIPPED if status == "skipped" else " ".join(str(r.get("message") or "").split())[:300]
            out.append((uid, f"{uid.split('.', 1)[0]} {uid.rsplit('.', 1)[-1]}: {message}"))
    return out
