"""What a model version knows beyond its weights: every song and listener of its data set.

Written with every version (``catalogue/`` in its folder): for each part (play, song,
member) the input columns of every row and its coded part, computed once with the version's
feature processor; so that serving a known song or listener is a lookup, and a request needs
nothing but the version. Also each listener's recommendation candidates and the most played
songs per member profile (catalogue/candidates.py, catalogue/profiles.py).
"""

from encore.catalogue.build import CatalogueTables, catalogue_rows, with_unknown_rows
from encore.catalogue.columns import Columns
from encore.catalogue.lookup import Catalogue
from encore.catalogue.resolve import Resolver
from encore.catalogue.store import CATALOGUE_DIR, check_catalogue, read_catalogue, write_catalogue

__all__ = [
    "CATALOGUE_DIR",
    "Catalogue",
    "CatalogueTables",
    "Columns",
    "Resolver",
    "catalogue_rows",
    "check_catalogue",
    "read_catalogue",
    "with_unknown_rows",
    "write_catalogue",
]
