"""Encore's HTTP API: validated prediction, training control and the model registry."""
