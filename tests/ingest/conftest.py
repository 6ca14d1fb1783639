"""A tiny, valid data folder that a test can spoil one file at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

TINY_FILES: dict[str, str] = {
    "train.csv": (
        "msno,song_id,source_system_tab,source_screen_name,source_type,target\n"
        "U1,S1,my library,Local playlist more,local-library,1\n"
        "U2,S2,null,,online-playlist,0\n"
        "U1,S9,,Radio,radio,1\n"
    ),
    "test.csv": (
        "id,msno,song_id,source_system_tab,source_screen_name,source_type\n"
        "0,U1,S2,my library,Local playlist more,local-library\n"
        "1,U3,S3,search,Search,song\n"
    ),
    "songs.csv": (
        "song_id,song_length,genre_ids,artist_name,composer,lyricist,language\n"
        "S1,234000,465,TEDDY|  FUTURE BOUNCE,,,31\n"
        'S2,197328,444|1609,"Quote ""Q"" Band",Comp,Lyr,3\n'
        "S3,,,Solo,,,-1\n"
    ),
    "members.csv": (
        "msno,city,bd,gender,registered_via,registration_init_time,expiration_date\n"
        "U1,1,0,,7,20110820,20170920\n"
        "U2,13,24,female,9,20110525,20170911\n"
    ),
    "song_extra_info.csv": (
        'song_id,name,isrc\nS1,"Two\nlines, and a comma",TWUM71200043\nS2,Plain,\n'
    ),
}

MakeFolder = Callable[..., Path]


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """Write the tiny folder; keyword ``train="..."`` replaces a file, ``members=None`` drops it.

    Keys are table names (``song_extra_info`` included); values are str (UTF-8) or bytes.
    """

    def write(**replacements: str | bytes | None) -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        contents: dict[str, str | bytes | None] = {
            name.removesuffix(".csv"): text for name, text in TINY_FILES.items()
        }
        for table, content in (contents | replacements).items():
            _write(folder / f"{table}.csv", content)
        return folder

    return write


def _write(path: Path, content: str | bytes | None) -> None:
    if content is None:
        path.unlink(missing_ok=True)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
