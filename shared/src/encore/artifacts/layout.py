"""The files of one model version folder."""

FORMAT = "encore-model"
FORMAT_VERSION = 1

WEIGHTS = "weights.pt"
FEATURES = "features.json"
CONFIG = "config.json"
METRICS = "metrics.json"
CURVES = "curves.png"
MANIFEST = "manifest.json"
