"""Checksums of the built marts and reporting relations (pipelines/warehouse/checksum.py): proof that a change to
the dbt models (or to the stages) left every row as it was.

    python -m bench.checksum path/to/news.duckdb            # one line per relation, then the facts checksum
    python -m bench.checksum a.duckdb b.duckdb              # the relations whose rows differ (exit 1 if any)
"""
from __future__ import annotations

import sys

from pipelines.warehouse.checksum import (  # noqa: F401  (re-exported for the bench and its tests)
    RUN_COLUMNS, RUN_RELATIONS, SCHEMAS, combined, facts_checksum, relation_checksum, relation_checksums,
    warehouse_checksums)


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__)
        return 2
    sums = [warehouse_checksums(p) for p in argv]
    if len(sums) == 1:
        for rel, (n, digest) in sums[0].items():
            print(f"{rel}\t{n}\t{digest}")
        print(f"all relations\t{sum(n for n, _ in sums[0].values())}\t{combined(sums[0])}")
        return 0
    a, b = sums
    differ = sorted(rel for rel in set(a) | set(b) if a.get(rel) != b.get(rel))
    for rel in differ:
        print(f"differs: {rel}\t{a.get(rel)}\t{b.get(rel)}")
    print(f"{len(set(a) | set(b)) - len(differ)} relations equal, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
