"""What a data set (or a file in one) may be called: one plain name inside the data folder."""

from __future__ import annotations

# The longest file name most file systems take (ext4, xfs, overlayfs), in bytes.
MAX_NAME_BYTES = 255


def check_dataset_name(name: str) -> str:
    """One plain folder or file name: no separators, no `..`, nothing hidden."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
        raise ValueError(f"{name!r} must be a plain name inside the data folder")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise ValueError(f"a name of at most {MAX_NAME_BYTES} bytes, not {name[:40]!r}...")
    return name
