"""Finding what looks like a secret in text, and what a .dockerignore keeps out of a build."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Matched wherever they stand: nothing legitimate looks like these.
TELLTALES = {
    "an AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "a private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "a GitHub token": re.compile(r"\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{30,}"),
}
# A value given to something named like a secret: flagged unless it is a placeholder.
ASSIGNED = {
    "a password in a URL": re.compile(r"[a-z][a-z0-9+.-]*://[^\s:/@'\"]+:([^\s@/'\"]+)@"),
    "a secret set to a literal": re.compile(
        r"(?i)(?:password|passwd|secret|api[_-]?key|token)[a-z_]*['\"]?\s*[:=]\s*"
        r"(?:['\"]([^'\"\s]+)['\"]|([^\s'\"#,)}\]]+)\s*$)"
    ),
}
# What documentation and tests put where a secret goes: words, ellipses, variables, and runs
# like 0123 that no random key is made of.
PLACEHOLDER = re.compile(
    r"change-?me|example|placeholder|dummy|fake|wrong|test|secret|password|xxx|0123|abcd"
    r"|\.\.\.|[${<]",
    re.I,
)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.\[\]]*")
DIGITS_IN_A_KEY = 4


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.what}"


def find_secrets(text: str, where: str) -> list[Finding]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        found += [Finding(where, number, what) for what in _secrets_in(line)]
    return found


def _secrets_in(line: str) -> list[str]:
    found = [what for what, pattern in TELLTALES.items() if pattern.search(line)]
    for what, pattern in ASSIGNED.items():
        values = (next(v for v in m.groups() if v is not None) for m in pattern.finditer(line))
        found += [what for value in values if _looks_real(value)]
    return found


def _looks_real(value: str) -> bool:
    """Long enough, not a variable's name, not a placeholder."""
    return len(value) >= 8 and not _variable(value) and not PLACEHOLDER.search(value)


def _variable(value: str) -> bool:
    """Spelled like a name (settings.api_key, token_v2): a random key spelled that way, such
    as hex that starts with a letter, holds many more digits than names do."""
    return bool(IDENTIFIER.fullmatch(value)) and sum(c.isdigit() for c in value) < DIGITS_IN_A_KEY


def repository_files(root: Path) -> list[Path]:
    """Tracked files, and untracked ones git does not ignore (about to be committed)."""
    listed = _git(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    return [root / name for name in listed.split("\0") if name and (root / name).is_file()]


def added_in_history(root: Path) -> str:
    """Every line any commit added, in every branch: a secret removed later is still there."""
    log = _git(root, "log", "--all", "-p", "--no-color", "--no-ext-diff", "--format=")
    added = (line[1:] for line in log.splitlines() if line.startswith("+"))
    return "\n".join(line for line in added if not line.startswith("++ "))


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, errors="replace"
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def docker_ignored(path: str, patterns: list[str]) -> bool:
    """Whether a .dockerignore with these patterns keeps `path` (relative, with /) out of the
    build context: the last matching pattern decides; a matched folder takes what is inside."""
    ignored = False
    parents = ["/".join(path.split("/")[:end]) for end in range(1, path.count("/") + 2)]
    for pattern in patterns:
        negated = pattern.startswith("!")
        regex = _docker_regex(pattern.removeprefix("!").strip().strip("/"))
        if any(regex.fullmatch(parent) for parent in parents):
            ignored = not negated
    return ignored


def dockerignore_patterns(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _docker_regex(pattern: str) -> re.Pattern[str]:
    """Docker's pattern syntax: `**` any number of folders, `*` and `?` within one name."""
    tokens = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    wildcards = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(token, re.escape(token)) for token in tokens))
