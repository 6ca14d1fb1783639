"""Synthetic KKBOX-format data with a planted, known-best model (`encore datagen`)."""
