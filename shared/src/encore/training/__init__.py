"""Training the neural model and predicting with it."""

from encore.training.epochs import EpochMetrics, TrainingCancelled, TrainResult
from encore.training.loop import fit, refit
from encore.training.tensors import predict_proba

__all__ = ["EpochMetrics", "TrainResult", "TrainingCancelled", "fit", "predict_proba", "refit"]
