"""What can go wrong with a data set upload, each with the HTTP status the API answers."""

from __future__ import annotations

from encore.errors import EncoreError


class DatasetRefused(EncoreError):
    """The upload is not a data set Encore accepts (the message says why): 422."""


class UnknownDataset(EncoreError):
    """No data set of that name: 404."""


class DatasetExists(EncoreError):
    """A data set of that name exists already: 409."""


class DatasetInUse(EncoreError):
    """A queued or running job uses the data set: 409."""


class UploadTooLarge(EncoreError):
    """The upload, or its files once unpacked, exceed ENCORE_MAX_UPLOAD_BYTES: 413."""


class NoRoom(EncoreError):
    """The data volume would be left with too little free space: 507."""
