"""A text column stored as codes into its distinct values, memory-mappable.

The values are one UTF-8 blob with offsets, and each value's 64-bit hash is kept beside it,
so that a request's value can be compared with a stored one without decoding the column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

Hashes = npt.NDArray[np.uint64]
Objects = npt.NDArray[np.object_]


def hash_texts(values: Objects) -> Hashes:
    """A 64-bit hash of each string (pandas' SipHash with its fixed key: the same in every
    process, for a stored value and a request's alike)."""
    hashes: Hashes = pd.util.hash_array(np.asarray(values, dtype=object), categorize=False)
    return hashes


@dataclass(frozen=True)
class StringColumn:
    codes: npt.NDArray[np.int32]  # per row; -1 = missing
    offsets: npt.NDArray[np.int64]  # value i is blob[offsets[i]:offsets[i + 1]]
    blob: npt.NDArray[np.uint8]
    hashes: Hashes  # per value

    @classmethod
    def of(cls, column: pd.Series) -> StringColumn:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        values = np.asarray(uniques, dtype=object).astype(str).astype(object)
        encoded = [value.encode("utf-8") for value in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(item) for item in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(codes.astype(np.int32), offsets, blob, hash_texts(values))

    def values_at(self, rows: npt.NDArray[np.intp]) -> Objects:
        """The values of ``rows`` as strings, None where missing (or where a row is -1)."""
        codes = self._codes_at(rows)
        values = np.empty(len(codes), dtype=object)
        for at, code in enumerate(codes.tolist()):
            if code >= 0:
                start, end = self.offsets[code : code + 2].tolist()
                values[at] = self.blob[start:end].tobytes().decode("utf-8")
        return values

    def hashes_at(self, rows: npt.NDArray[np.intp]) -> tuple[Hashes, npt.NDArray[np.bool_]]:
        """Each row's value hash and whether it has a value."""
        codes = self._codes_at(rows)
        present = codes >= 0
        hashes = np.zeros(len(codes), dtype=np.uint64)
        hashes[present] = self.hashes[codes[present]]
        return hashes, present

    def _codes_at(self, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.int32]:
        """Codes of ``rows``; row -1 (not in the table) is missing."""
        codes = np.full(len(rows), -1, dtype=np.int32)
        inside = rows >= 0
        codes[inside] = self.codes[rows[inside]]
        return codes
