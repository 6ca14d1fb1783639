"""Reading, validating and joining the KKBOX-format input files.

``load_dataset(folder, required)`` reads the five CSV files; ``consolidate(plays, dataset)``
joins train or test rows to their song, song extra info and listener.

Choices a user will notice:

- Which files: training needs train.csv, songs.csv, members.csv; scoring needs test.csv,
  songs.csv, members.csv; song_extra_info.csv is always optional. See ``encore.ingest.dataset``.
- Speed: one pandas C-engine read per file with explicit dtypes. Only when it fails does a
  slow, record-by-record pass run to name the file, the physical line (the header is line 1;
  a quoted name spanning lines counts all its lines) and the column.
- Values: "null" is a value, an empty field is missing; integer columns (train.target,
  test.id, members' numbers) and ids (msno, song_id) must not be empty; target is 0 or 1.
- Layout: UTF-8 (a BOM is fine), \\n or \\r\\n line ends, blank lines skipped. Columns may come
  in any order and unknown extra columns are ignored; a missing or repeated column is refused.
  A record with too many fields is refused; one with too few is only caught when a required
  value ends up missing (pandas fills the rest with NaN).
- A header-only file is refused ("no records") for every table: leave an optional file out
  instead. An empty (0-byte) file is refused too.
- A side table that repeats a song_id or msno: consolidate uses the first row.
"""

from encore.ingest.consolidate import consolidate
from encore.ingest.dataset import PREDICTION_TABLES, TRAINING_TABLES, Dataset, load_dataset
from encore.ingest.errors import IngestError

__all__ = [
    "PREDICTION_TABLES",
    "TRAINING_TABLES",
    "Dataset",
    "IngestError",
    "consolidate",
    "load_dataset",
]
