"""What a model version knows about songs and listeners beyond its weights.

Saved with every version (``catalogue/`` in its folder) so that serving needs nothing but the
version: the song and member fields of every song and listener seen in training (to fill the
fields a request leaves out), and the most played songs with who played them (candidates for
recommendations).
"""

from encore.catalogue.build import CatalogueTables, build_catalogue
from encore.catalogue.lookup import Catalogue
from encore.catalogue.store import (
    CATALOGUE_DIR,
    check_catalogue,
    read_catalogue,
    write_catalogue,
)

__all__ = [
    "CATALOGUE_DIR",
    "Catalogue",
    "CatalogueTables",
    "build_catalogue",
    "check_catalogue",
    "read_catalogue",
    "write_catalogue",
]
