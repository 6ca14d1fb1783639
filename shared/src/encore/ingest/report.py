"""The data profile as a short, human-readable text table."""

from __future__ import annotations

import textwrap
from typing import Any

_WIDTH = 88
_RULE = "-" * 72
_JOIN_LABELS = (
    ("song in songs.csv", "songs.csv"),
    ("song in song_extra_info.csv", "song_extra_info.csv"),
    ("user in members.csv", "members.csv"),
)


def render_profile(data_dir: str, profile: dict[str, Any]) -> str:
    """Plain text for a terminal: files, users and songs, joins, cold start, target rate."""
    sections = [
        [f"Data folder {data_dir}"],
        _files_section(profile["files"]),
        _distinct_section(profile["users"], profile["songs"]),
        _coverage_section(profile["join_coverage"]),
        _closing_lines(profile["test_cold_start"], profile["target_rate"]),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections if lines)


def _share(value: float | None) -> str:
    if value is None:
        return "-"
    if 0 < value < 0.0005:
        return "<0.1%"
    return ">99.9%" if 0.9995 <= value < 1 else f"{value:.1%}"


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _files_section(files: dict[str, Any]) -> list[str]:
    lines = [f"{'file':<21}{'records':>11}  missing values (share of records)", _RULE]
    for filename, facts in files.items():
        if facts is None:
            lines.append(f"{filename:<21}{'absent':>11}")
        else:
            gaps = textwrap.wrap(_gaps(facts["missing"]), _WIDTH - 34)
            lines.append(f"{filename:<21}{_count(facts['records']):>11}  {gaps[0]}")
            lines.extend(" " * 34 + more for more in gaps[1:])
    return lines


def _gaps(missing: dict[str, float]) -> str:
    gaps = sorted(((rate, name) for name, rate in missing.items() if rate > 0), reverse=True)
    return ", ".join(f"{name} {_share(rate)}" for rate, name in gaps) or "none"


def _distinct_section(users: dict[str, int | None], songs: dict[str, int | None]) -> list[str]:
    header = f"{'distinct':<21}{'in train':>11}{'in test':>11}{'in either':>11}"
    rows = [
        f"{label:<21}" + "".join(f"{_count(counts[k]):>11}" for k in ("train", "test", "all"))
        for label, counts in (("users", users), ("songs", songs))
    ]
    return [header, _RULE, *rows]


def _coverage_section(coverage: dict[str, dict[str, float | None] | None]) -> list[str]:
    present = {plays: shares for plays, shares in coverage.items() if shares is not None}
    header = f"{'join coverage (share of plays)':<32}" + "".join(f"{p:>9}" for p in present)
    rows = [
        f"{label:<32}" + "".join(f"{_share(shares[side]):>9}" for shares in present.values())
        for label, side in _JOIN_LABELS
    ]
    return [header, _RULE, *rows] if present else []


def _closing_lines(cold_start: dict[str, float] | None, target_rate: float | None) -> list[str]:
    lines = []
    if cold_start is not None:
        users = _share(cold_start["user_unseen_in_train"])
        songs = _share(cold_start["song_unseen_in_train"])
        lines.append(
            f"cold start: {users} of test rows have a user unseen in train, "
            f"{songs} a song unseen in train"
        )
    if target_rate is not None:
        lines.append(f"train target rate: {target_rate:.3f} (share of plays replayed)")
    return lines
