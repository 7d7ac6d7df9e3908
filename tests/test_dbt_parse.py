"""dbt's saved parse kept for the next invocation (pipelines/dbt_parse.py): what perf_info.json says about an
invocation's parse, and the partial_parse.msgpack put back where dagster-dbt copies it from. The whole path (a real
dbt, two nights on one warehouse) is tests/test_dbt_incremental.py::test_every_dbt_invocation_of_every_night_reuses_the_saved_parse."""
from __future__ import annotations

import json
import os

from pipelines.dbt_parse import PARTIAL_PARSE_FILE, keep_parse, parse_kind, target_args


def _perf(folder, path_count, parsed_path_count):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "perf_info.json").write_text(json.dumps(
        {"path_count": path_count, "parsed_path_count": parsed_path_count, "is_partial_parse_enabled": True}))
    return folder


def test_a_parse_of_every_file_is_full_and_of_fewer_is_partial(tmp_path):
    assert parse_kind(_perf(tmp_path / "a", 214, 214)) == "full"
    assert parse_kind(_perf(tmp_path / "b", 214, 0)) == "partial"  # nothing changed
    assert parse_kind(_perf(tmp_path / "c", 214, 3)) == "partial"  # three changed files re-parsed


def test_no_or_a_broken_perf_info_is_unknown(tmp_path):
    assert parse_kind(tmp_path) == "unknown"
    (tmp_path / "perf_info.json").write_text("{not json")
    assert parse_kind(tmp_path) == "unknown"
    (tmp_path / "perf_info.json").write_text(json.dumps({"path_count": 3}))
    assert parse_kind(tmp_path) == "unknown"


def test_the_invocations_parse_replaces_the_projects_and_nothing_else(tmp_path):
    invocation, project = tmp_path / "target" / "news_dbt_models-abc-123", tmp_path / "target"
    invocation.mkdir(parents=True)
    (project / PARTIAL_PARSE_FILE).write_bytes(b"prepare's parse")
    (project / "manifest.json").write_text("{}")
    (invocation / PARTIAL_PARSE_FILE).write_bytes(b"tonight's parse")
    assert keep_parse(invocation, project) is True
    assert (project / PARTIAL_PARSE_FILE).read_bytes() == b"tonight's parse"
    assert (project / "manifest.json").read_text() == "{}"
    assert sorted(os.listdir(project)) == sorted([PARTIAL_PARSE_FILE, "manifest.json", invocation.name])
    assert keep_parse(invocation, project) is False  # the same bytes: not written again


def test_an_invocation_without_a_parse_leaves_the_project_alone(tmp_path):
    project = tmp_path / "target"
    project.mkdir()
    (project / PARTIAL_PARSE_FILE).write_bytes(b"prepare's parse")
    assert keep_parse(tmp_path / "nothing", project) is False
    assert (project / PARTIAL_PARSE_FILE).read_bytes() == b"prepare's parse"


def test_the_target_is_named_as_dagster_dbt_names_it():
    from dagster_dbt import DbtCliResource

    from pipelines.assets.dbt import dbt_project
    from pipelines.settings import dbt_executable

    assert target_args(dbt_project.target) == ["--target", dbt_project.target]
    # dagster-dbt adds `--target <DbtProject.target>` (and no --profile) to every invocation it runs
    resource = DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
    assert resource.target == dbt_project.target and not resource.profile
