"""The files `encore datagen` writes beside the KKBOX ones."""

ORACLE_FILE = "oracle.json"
LABELS_FILE = "test_labels.csv"
# The oracle's probability for every train.csv row (row = 0-based record number), so a model's
# validation AUC can be set beside the oracle's on exactly the same rows.
TRAIN_ORACLE_FILE = "train_oracle.csv"
