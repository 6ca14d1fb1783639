"""Data sets: folders of KKBOX files under ENCORE_DATA_DIR, imported whole or not at all.

``store.DatasetStore`` lists, describes and deletes them; ``importing.import_source`` (the
CLI) and ``importing.import_upload`` (the API's import job) bring one in, validated by the
ingest first. Import the modules themselves: this package imports nothing, so that reading a
name's rules (``names``) costs no pandas.
"""
