"""Features: one declarative spec (spec.py) and one vectorised implementation of each field.

The processor is fitted on training plays only (vocabularies with padding, out-of-vocabulary
and missing indices, play counts, shares per source, scales), saved as JSON with a model
version, and applied unchanged to any rows: by training, offline scoring and the API alike.
"""

from encore.features.config import FeatureConfig
from encore.features.parts import FeatureMatrix, PartArrays, gather
from encore.features.processor import FeatureProcessor, Parts
from encore.features.rows import Rows, rows_of

__all__ = [
    "FeatureConfig",
    "FeatureMatrix",
    "FeatureProcessor",
    "PartArrays",
    "Parts",
    "Rows",
    "gather",
    "rows_of",
]
