"""Every bad file gives one error naming file, line (physical) and column, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from encore.cli import main
from encore.ingest import IngestError, load_dataset

MakeFolder = Callable[..., Path]  # the make_folder fixture (tests/ingest/conftest.py)

TRAIN_HEADER = "msno,song_id,source_system_tab,source_screen_name,source_type,target\n"
SONGS_HEADER = "song_id,song_length,genre_ids,artist_name,composer,lyricist,language\n"
MEMBERS_HEADER = "msno,city,bd,gender,registered_via,registration_init_time,expiration_date\n"
EXTRA_HEADER = "song_id,name,isrc\n"
TRAIN_ROW = "U1,S1,my library,Local playlist more,local-library,1\n"
MEMBER_ROW = "U1,1,0,,7,20110820,20170920\n"
NOT_UTF8 = "the file must be UTF-8 text"

# (files to replace, the one-line message)
CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "integer column holds a word": (
        {"members": MEMBERS_HEADER + MEMBER_ROW + "U2,13,abc,female,9,20110525,20170911\n"},
        "members.csv, line 3, column bd: 'abc' is not an integer",
    ),
    "integer column holds a fraction": (
        {"members": MEMBERS_HEADER + "U1,1,27.5,,7,20110820,20170920\n"},
        "members.csv, line 2, column bd: '27.5' is not an integer",
    ),
    "integer too large": (
        {"members": MEMBERS_HEADER + "U1,1,99999999999999999999,,7,20110820,20170920\n"},
        "members.csv, line 2, column bd: '99999999999999999999' is too large for a 64-bit integer",
    ),
    "target is not 0 or 1": (
        {"train": TRAIN_HEADER + TRAIN_ROW + "U2,S2,radio,Radio,radio,2\n"},
        "train.csv, line 3, column target: '2' is not 0 or 1",
    ),
    "target is empty": (
        {"train": TRAIN_HEADER + "U2,S2,radio,Radio,radio,\n"},
        "train.csv, line 2, column target: empty, expected 0 or 1",
    ),
    "number column holds a word": (
        {"songs": SONGS_HEADER + "S1,3:54,465,Artist,,,3\n"},
        "songs.csv, line 2, column song_length: '3:54' is not a number",
    ),
    "id is empty": (
        {"train": TRAIN_HEADER + TRAIN_ROW + "U2,,radio,Radio,radio,0\n"},
        "train.csv, line 3, column song_id: empty, but every record needs a song_id",
    ),
    "column missing from the header": (
        {"songs": "song_id,song_length,genre_ids,artist_name\nS1,1,465,A\n"},
        "songs.csv, line 1, column composer: missing from the header line "
        "(song_id,song_length,genre_ids,artist_name)",
    ),
    "column twice in the header": (
        {"songs": SONGS_HEADER.replace("\n", ",genre_ids\n") + "S1,1,465,A,,,3,465\n"},
        "songs.csv, line 1, column genre_ids: appears more than once in the header line",
    ),
    "empty file": (
        {"train": ""},
        "train.csv, line 1: the file is empty, expected a header line "
        "msno,song_id,source_system_tab,source_screen_name,source_type,target",
    ),
    "header line opens a quote that never closes": (
        {"song_extra_info": 'song_id,"name,isrc\n' + "S1," + "x" * 140_000 + ",I1\n"},
        "song_extra_info.csv, line 1: the header line cannot be read as CSV "
        "(field larger than field limit (131072))",
    ),
    "train has a header but no records": (
        {"train": TRAIN_HEADER},
        "train.csv: no records, only a header line",
    ),
    "members has a header but no records": (
        {"members": MEMBERS_HEADER},
        "members.csv: no records, only a header line",
    ),
    "bytes that are not UTF-8": (
        {"songs": SONGS_HEADER.encode() + b"S1,1,465,Beyonc\xe9,,,3\n"},
        f"songs.csv, line 2, column artist_name: byte 0xe9 is not valid UTF-8 ({NOT_UTF8})",
    ),
    "bytes that are not UTF-8 inside a multi-line name": (
        {"song_extra_info": EXTRA_HEADER.encode() + b'S1,"one\ntwo \xff",ISRC\n'},
        f"song_extra_info.csv, line 3, column name: byte 0xff is not valid UTF-8 ({NOT_UTF8})",
    ),
    "quote never closed": (
        {"song_extra_info": EXTRA_HEADER + 'S1,Fine,I1\nS2,"Never closed,I2\nS3,Fine,I3\n'},
        "song_extra_info.csv, line 3, column name: unbalanced quote: "
        "the quoted field that opens on this line is never closed",
    ),
    "quote closed a line later leaves a field too many": (
        {"song_extra_info": EXTRA_HEADER + 'S1,Fine,I1\nS2,"Opened,I2\nS3,Fine",I3,x\n'},
        "song_extra_info.csv, line 3: 4 fields, expected 3 as in the header line "
        "(this record runs from line 3 to 4: is a quote unbalanced?)",
    ),
    "record with a field too many": (
        {"train": TRAIN_HEADER + TRAIN_ROW + "U2,S2,radio,Radio,radio,0,extra\n"},
        "train.csv, line 3: 7 fields, expected 6 as in the header line",
    ),
    "every record with a field too many": (
        {"song_extra_info": EXTRA_HEADER + "S1,Name,I1,\nS2,Name,I2,\n"},
        "song_extra_info.csv, line 2: 4 fields, expected 3 as in the header line",
    ),
    "record with fields missing": (
        {"members": MEMBERS_HEADER + MEMBER_ROW + "U2,13,24\n"},
        "members.csv, line 3, column gender: missing, with the columns after it (3 fields, "
        "expected 7 as in the header line)",
    ),
    "file cut off inside its last record": (
        {"songs": SONGS_HEADER + "S1,1,465,A,,,3\nS2,2"},
        "songs.csv, line 3, column genre_ids: missing, with the columns after it (2 fields, "
        "expected 7 as in the header line)",
    ),
    "a short record in the middle of songs.csv (pandas pads it)": (
        {"songs": SONGS_HEADER + "S1,1,465,A,,,3\nS2,2,465\nS3,1,465,B,,,3\n"},
        "songs.csv, line 3, column artist_name: missing, with the columns after it (3 fields, "
        "expected 7 as in the header line)",
    ),
    "a short record in the middle of song_extra_info.csv": (
        {"song_extra_info": EXTRA_HEADER + "S1,Name,I1\nS2,Name\nS3,Name,I3\n"},
        "song_extra_info.csv, line 3, column isrc: missing, with the columns after it (2 fields, "
        "expected 3 as in the header line)",
    ),
    "a cut inside the last field that still parses": (
        {"members": MEMBERS_HEADER + MEMBER_ROW + "U2,13,24,female,9,20110525,2017"},
        "members.csv, line 3, column expiration_date: the file ends inside this record, with "
        "no line break after it: cut off? (a complete file ends with a line break)",
    ),
    "bad value after a name spanning lines": (
        {"songs": SONGS_HEADER + 'S1,1,465,"A\nB\nC",,,3\nS2,1,465,D,,,x\n'},
        "songs.csv, line 5, column language: 'x' is not a number",
    ),
    "bad value on the second line of a record": (
        {"songs": SONGS_HEADER + 'S1,1,465,"A\r\nB",,,x\r\n'},
        "songs.csv, line 3, column language: 'x' is not a number",
    ),
}


@pytest.mark.parametrize(("replacements", "message"), CASES.values(), ids=CASES.keys())
def test_bad_file_gives_one_message_naming_file_line_and_column(
    make_folder: MakeFolder, replacements: dict[str, str | bytes], message: str
) -> None:
    folder = make_folder(**replacements)

    with pytest.raises(IngestError) as caught:
        load_dataset(folder)

    assert str(caught.value) == message


@pytest.mark.parametrize(("replacements", "message"), CASES.values(), ids=CASES.keys())
def test_bad_file_through_the_cli_prints_one_line_and_exits_2(
    make_folder: MakeFolder,
    capsys: pytest.CaptureFixture[str],
    replacements: dict[str, str | bytes],
    message: str,
) -> None:
    folder = make_folder(**replacements)

    code = main(["inspect", "--data", str(folder)])

    captured = capsys.readouterr()
    assert (code, captured.out, captured.err) == (2, "", f"encore inspect: error: {message}\n")


def test_missing_required_file_names_it_and_what_the_step_needs(make_folder: MakeFolder) -> None:
    folder = make_folder(members=None)

    with pytest.raises(IngestError) as caught:
        load_dataset(folder)

    assert str(caught.value) == (
        f"members.csv: not found in {folder} (this step needs train.csv, songs.csv, members.csv)"
    )


def test_folder_without_plays_through_the_cli_says_so(
    make_folder: MakeFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_folder(train=None, test=None)

    code = main(["inspect", "--data", str(folder)])

    captured = capsys.readouterr()
    assert code == 2
    message = f"{folder} holds neither train.csv nor test.csv: nothing to inspect"
    assert captured.err == f"encore inspect: error: {message}\n"


def test_missing_folder_through_the_cli_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["inspect", "--data", str(tmp_path / "nowhere")])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("\n") == 1
    assert "nowhere does not exist" in captured.err
