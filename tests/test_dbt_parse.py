"""dbt's saved parse kept for the next invocation (pipelines/dbt_parse.py): what perf_info.json says about an
invocation's parse, and the partial_parse.msgpack put back where dagster-dbt copies it from. The whole path (a real
dbt, nights on one warehouse) is tests/test_dbt_incremental.py::
test_every_dbt_invocation_of_every_night_reuses_the_saved_parse."""
from __future__ import annotations

import json
import os
from pathlib import Path

from pipelines.dbt_parse import PARTIAL_PARSE_FILE, keep_parse, parse_kind, target_args
from pipelines.settings import DBT_PROJECT_DIR, dbt_saved_parse_folder


def _log(folder, *events):
    """A dbt.log as dbt writes it with DBT_LOG_FORMAT=json: one JSON event a line, the event's name under info."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [{"data": {"log_version": 3}, "info": {"code": "A001", "level": "info", "name": "MainReportVersion"}},
             *({"data": {"reason": "x"}, "info": {"code": "I0", "level": "debug", "name": e}} for e in events),
             {"data": {"node_info": {"node_name": "stg_raw__articles"}}, "info": {"name": "LogModelResult"}}]
    (folder / "dbt.log").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return folder


def test_a_parse_from_scratch_is_full(tmp_path):
    assert parse_kind(_log(tmp_path / "a", "UnableToPartialParse")) == "full"  # other --target, path, no file
    assert parse_kind(_log(tmp_path / "b", "PartialParsingNotEnabled")) == "full"
    # dbt began a partial parse, then a changed override macro sent it back to a full one
    assert parse_kind(_log(tmp_path / "c", "PartialParsingEnabled", "UnableToPartialParse")) == "full"


def test_a_saved_parse_reused_is_partial(tmp_path):
    assert parse_kind(_log(tmp_path / "a", "PartialParsingEnabled", "PartialParsingSkipParsing")) == "partial"
    assert parse_kind(_log(tmp_path / "b", "PartialParsingEnabled")) == "partial"  # some files parsed again


def test_no_log_or_a_log_without_parse_events_is_unknown(tmp_path):
    assert parse_kind(tmp_path) == "unknown"
    assert parse_kind(_log(tmp_path / "a")) == "unknown"


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


def test_the_saved_parse_is_where_dagster_dbt_copies_it_from():
    assert dbt_saved_parse_folder({}) == DBT_PROJECT_DIR / "target"
    assert dbt_saved_parse_folder({"DBT_TARGET_PATH": "elsewhere"}) == DBT_PROJECT_DIR / "elsewhere"
    assert dbt_saved_parse_folder({"DBT_TARGET_PATH": "/abs/t"}) == Path("/abs/t")


def test_the_target_is_named_as_dagster_dbt_names_it():
    from dagster_dbt import DbtCliResource

    from pipelines.assets.dbt import dbt_project
    from pipelines.settings import dbt_executable

    assert target_args(dbt_project.target) == ["--target", dbt_project.target]
    # dagster-dbt adds `--target <DbtProject.target>` (and no --profile) to every invocation it runs
    resource = DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
    assert resource.target == dbt_project.target and not resource.profile


def test_the_dbt_resource_knows_the_projects_dbt_version_without_starting_dbt():
    # dagster-dbt ran `dbt --version` (a whole dbt start-up, and a request to pypi.org) in every dbt step
    from dagster_dbt.compat import DBT_PYTHON_VERSION

    from pipelines.assets.dbt import dbt_project
    from pipelines.resources import NewsDbtCliResource
    from pipelines.settings import dbt_executable, dbt_is_bundled
    from tests.support.processes import started_processes

    assert dbt_is_bundled(dbt_executable()), "the project's dbt is the one installed beside this Python"
    resource = NewsDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
    with started_processes() as argvs:
        assert resource._cli_version == DBT_PYTHON_VERSION  # noqa: SLF001
        assert resource._initialize_dbt_core_adapter(["build"]) is None  # noqa: SLF001 - no adapter in process
    assert argvs == []


def test_another_dbt_is_still_asked_its_version(tmp_path):
    from pipelines.assets.dbt import dbt_project
    from pipelines.resources import NewsDbtCliResource
    from tests.support.processes import started_processes

    other = tmp_path / "dbt"
    other.write_text("#!/bin/sh\nprintf 'Core:\\n  - installed: 1.10.4\\n'\n", encoding="utf-8")
    other.chmod(0o755)
    resource = NewsDbtCliResource(project_dir=dbt_project, dbt_executable=str(other))
    with started_processes() as argvs:
        assert str(resource._cli_version) == "1.10.4"  # noqa: SLF001
    assert argvs == [[str(other), "--version"]]
