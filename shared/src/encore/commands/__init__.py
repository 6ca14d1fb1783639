"""Subcommands of the `encore` command line, one module each with a `register` function."""
