"""dbt's partial parsing kept across invocations and nights, without Dagster.

Every dbt command parses the project first. dbt re-uses its last parse (target/partial_parse.msgpack) only when
the `--target`/`--profile`/`--vars` it is given and the profile's connection values (the DuckDB `path`, that is
NEWS_WAREHOUSE) are the ones the parse was made with; otherwise it re-parses every file ("Unable to do partial
parsing because ..."), which on this project costs tens of seconds per invocation on a loaded machine.

So: `prepare` (pipelines.cli) parses with exactly the arguments and warehouse path the nightly dbt step uses
(`target_args`, the resolved NEWS_WAREHOUSE), and dagster-dbt, which runs each invocation in its own
target/<step>-<run>-<id>/ folder after copying target/partial_parse.msgpack there, gets the newest parse back:
`keep_parse` puts the invocation's partial_parse.msgpack back into target/ (atomically), so the next invocation
(the same night's `dbt test`, the next night) starts from it. dbt still checks every file's checksum: a changed
model, macro or yml is re-parsed whatever the file says. `parse_kind` reads what an invocation did from the
dbt.log dbt writes beside its other artifacts.
"""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import tempfile
from pathlib import Path

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
DBT_LOG_FILE = "dbt.log"
# dbt-core's event names (dbt/events/types.py): a parse from scratch, a saved parse re-used
FULL_PARSE_EVENTS = frozenset({"UnableToPartialParse", "PartialParsingNotEnabled", "ParsedFileLoadFailed",
                               "PartialParsingError"})
PARTIAL_PARSE_EVENTS = frozenset({"PartialParsingSkipParsing", "PartialParsingEnabled"})
_EVENT_NAME = re.compile(r'"name":\s*"(%s)"' % "|".join(sorted(FULL_PARSE_EVENTS | PARTIAL_PARSE_EVENTS)))


def target_args(target: str) -> list[str]:
    """The dbt arguments that name the profile's target: the same in `prepare` as in dagster-dbt's invocations
    (DbtCliResource adds `--target <DbtProject.target>`), since dbt hashes them into its parse state."""
    return ["--target", target]


def parse_kind(invocation_target: Path) -> str:
    """How the invocation's dbt parsed the project, from the events in its dbt.log (dagster-dbt points DBT_LOG_PATH
    at the invocation's own target folder; the file log keeps dbt's debug events): 'full' when dbt could not re-use
    a saved parse (UnableToPartialParse: no file, other --target/--vars, another profile path, another dbt
    version; or partial parsing off or failed), 'partial' when it re-used one (PartialParsingSkipParsing: nothing
    changed; PartialParsingEnabled: only the changed files parsed again), 'unknown' when the log says neither."""
    try:
        with open(Path(invocation_target) / DBT_LOG_FILE, encoding="utf-8", errors="replace") as log:
            names = {m.group(1) for line in log for m in _EVENT_NAME.finditer(line)}
    except OSError:
        return "unknown"
    if names & FULL_PARSE_EVENTS:
        return "full"
    return "partial" if names & PARTIAL_PARSE_EVENTS else "unknown"


def keep_parse(invocation_target: Path, project_target: Path) -> bool:
    """Put the invocation's partial_parse.msgpack in the project's target folder (where dagster-dbt copies it from
    for the next invocation), by an atomic rename: a concurrent copy sees the old file or the new one. False when
    there is none or it is the same file already."""
    source = Path(invocation_target) / PARTIAL_PARSE_FILE
    dest = Path(project_target) / PARTIAL_PARSE_FILE
    if not source.is_file():
        return False
    if dest.is_file() and filecmp.cmp(source, dest, shallow=False):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{PARTIAL_PARSE_FILE}.", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
