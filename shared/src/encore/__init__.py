"""Encore: predict whether a listener will replay a song within a month."""

__version__ = "0.1.0"
