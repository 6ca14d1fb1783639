"""The audit scripts/audit falls back on where PyPI's per-release vulnerability feed cannot be
reached but the per-project one can (a machine that sees PyPI through a mirror).

The per-project JSON (https://pypi.org/pypi/NAME/json) lists the known vulnerabilities of the
project's latest release only. So every installed pin that is the latest release is audited
(any known vulnerability fails), and every older pin is named as not audited.

Usage: .venv/bin/python scripts/audit_latest.py REQUIREMENTS   (lines NAME==VERSION)
Exit status: 0 no known vulnerability among the audited pins; 1 some; 2 the feed failed.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

FEED = "https://pypi.org/pypi/{name}/json"


class Finding(NamedTuple):
    name: str
    pinned: str
    latest: str
    vulnerabilities: list[str]


def main() -> int:
    pins = _pins(Path(sys.argv[1]))
    try:
        with ThreadPoolExecutor(8) as pool:
            findings = list(pool.map(_finding, pins))
    except OSError as exc:
        print(f"audit: the project feed failed: {exc}", file=sys.stderr)
        return 2
    audited = [f for f in findings if f.pinned == f.latest]
    older = [f for f in findings if f.pinned != f.latest]
    vulnerable = [f for f in audited if f.vulnerabilities]
    for f in vulnerable:
        print(f"audit: {f.name} {f.pinned}: {', '.join(f.vulnerabilities)}", file=sys.stderr)
    listed = ", ".join(f"{f.name} {f.pinned} (latest {f.latest})" for f in older)
    print(
        f"audit: {len(audited)} of {len(findings)} pins are their project's latest release and "
        f"were audited: {len(vulnerable)} with known vulnerabilities. Not audited: {listed or '-'}"
    )
    return 1 if vulnerable else 0


def _pins(requirements: Path) -> list[tuple[str, str]]:
    lines = requirements.read_text().splitlines()
    return [
        (name, version) for name, _, version in (line.partition("==") for line in lines) if version
    ]


def _finding(pin: tuple[str, str]) -> Finding:
    name, pinned = pin
    with urllib.request.urlopen(FEED.format(name=name), timeout=20) as reply:
        project: dict[str, Any] = json.load(reply)
    ids = [str(v.get("id")) for v in project.get("vulnerabilities") or []]
    return Finding(name, pinned, str(project["info"]["version"]), ids)


if __name__ == "__main__":
    sys.exit(main())
