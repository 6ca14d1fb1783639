"""Build a whole synthetic data set and write it to a folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from encore import schema
from encore.datagen import tables
from encore.datagen.catalogue import Artists, Songs, generate_artists, generate_songs

# Re-exported: callers have long found the file names here.
from encore.datagen.files import LABELS_FILE as LABELS_FILE
from encore.datagen.files import ORACLE_FILE as ORACLE_FILE
from encore.datagen.files import TRAIN_ORACLE_FILE as TRAIN_ORACLE_FILE
from encore.datagen.members import Members, generate_members
from encore.datagen.oracle import (
    OracleScore,
    calibrated,
    draw_targets,
    probabilities,
    score,
)
from encore.datagen.plays import (
    Plays,
    Population,
    Roster,
    Window,
    make_roster,
    test_plays,
    train_plays,
)
from encore.datagen.sizes import Sizes, sizes_for
from encore.datagen.sources import ContextTable, context_table
from encore.datagen.taste import plant
from encore.datagen.writer import Column, write_csv

_SONGS_PER_ARTIST = 10


@dataclass(frozen=True)
class World:
    """Everything generated before labels: the entities and the plays."""

    members: Members
    artists: Artists
    songs: Songs
    roster: Roster
    uncatalogued: np.ndarray
    train: Plays
    test: Plays
    activity: np.ndarray


@dataclass(frozen=True)
class GenerationSummary:
    """What was written, and the planted model's own scores (the best achievable)."""

    out_dir: Path
    scale: str
    seed: int
    sizes: Sizes
    bytes_written: int
    train_score: OracleScore
    test_score: OracleScore

    def oracle_report(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "scale": self.scale,
            "rows": {
                "train": self.sizes.train_rows,
                "test": self.sizes.test_rows,
                "members": self.sizes.members,
                "songs": self.sizes.catalogue_songs,
                "song_extra_info": self.sizes.extra_rows,
            },
            "train": self.train_score.as_dict(),
            "test": self.test_score.as_dict(),
        }


def _world(rngs: list[np.random.Generator], sizes: Sizes, contexts: ContextTable) -> World:
    members = generate_members(rngs[0], sizes.members)
    artists = generate_artists(rngs[1], max(20, sizes.catalogue_songs // _SONGS_PER_ARTIST))
    songs = generate_songs(rngs[1], sizes.catalogue_songs + sizes.uncatalogued_songs, artists)
    roster = make_roster(rngs[2], sizes, songs.popularity)
    played = np.concatenate([roster.train_only_songs, roster.shared_songs, roster.test_only_songs])
    activity = rngs[2].lognormal(0.0, 1.0, sizes.members)
    population = Population(roster, activity, songs.popularity)
    total = sizes.train_rows + sizes.test_rows
    train = Window(sizes.train_rows, 0, total, contexts.train_share)
    test = Window(sizes.test_rows, sizes.train_rows, total, contexts.test_share)
    return World(
        members=members,
        artists=artists,
        songs=songs,
        roster=roster,
        uncatalogued=rngs[3].choice(played, size=sizes.uncatalogued_songs, replace=False),
        train=train_plays(rngs[4], population, train),
        test=test_plays(rngs[5], population, test),
        activity=activity,
    )


def _catalogue_rows(
    world: World, sizes: Sizes, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Row order of songs.csv and of song_extra_info.csv (a slightly smaller, reordered set)."""
    listed = np.ones(len(world.songs), dtype=bool)
    listed[world.uncatalogued] = False
    songs_rows = np.flatnonzero(listed)
    extra_rows = rng.permutation(songs_rows)[: sizes.extra_rows]
    return songs_rows, extra_rows


@dataclass(frozen=True)
class Labels:
    """Targets drawn from the planted model, and its true probabilities."""

    train_target: np.ndarray
    train_probability: np.ndarray
    test_target: np.ndarray
    test_probability: np.ndarray


OutputFile = tuple[str, list[str], list[Column]]


def _tables(
    world: World, labels: Labels, rng: np.random.Generator, sizes: Sizes
) -> list[OutputFile]:
    contexts = context_table()
    songs_rows, extra_rows = _catalogue_rows(world, sizes, rng)
    members, songs = world.members, world.songs
    columns = {
        schema.TRAIN: tables.train_columns(
            world.train, labels.train_target, members, songs, contexts
        ),
        schema.TEST: tables.test_columns(world.test, members, songs, contexts),
        schema.SONGS: tables.song_columns(songs, songs_rows, world.artists),
        schema.MEMBERS: tables.member_columns(members),
        schema.EXTRA: tables.extra_columns(songs, extra_rows),
        schema.SUBMISSION: tables.submission_columns(len(world.test)),
    }
    found = [
        (schema.SPECS[name].filename, schema.SPECS[name].names, cols)
        for name, cols in columns.items()
    ]
    test_labels = tables.label_columns(labels.test_target, labels.test_probability)
    train_oracle = tables.label_columns(labels.train_target, labels.train_probability)
    return [
        *found,
        (LABELS_FILE, ["id", "target", "probability"], test_labels),
        (TRAIN_ORACLE_FILE, ["row", "target", "probability"], train_oracle),
    ]


def _labels(world: World, rng: np.random.Generator) -> Labels:
    catalogue = (world.songs, world.artists.name.size)
    model = plant(rng, world.members, world.activity, catalogue, context_table())
    model = calibrated(model, world.train)
    train_probability = probabilities(model, world.train)
    test_probability = probabilities(model, world.test)
    return Labels(
        train_target=draw_targets(rng, train_probability),
        train_probability=train_probability,
        test_target=draw_targets(rng, test_probability),
        test_probability=test_probability,
    )


def _rngs(seed: int) -> list[np.random.Generator]:
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(9)]


def world_and_labels(train_rows: int, seed: int) -> tuple[World, Labels]:
    """What ``generate`` writes for these arguments, in memory: the entities, the plays
    (train.csv's rows in order) and their targets and true probabilities."""
    return _world_and_labels(_rngs(seed), sizes_for(train_rows))


def _world_and_labels(rngs: list[np.random.Generator], sizes: Sizes) -> tuple[World, Labels]:
    world = _world(rngs[:6], sizes, context_table())
    return world, _labels(world, rngs[6])


def generate(out_dir: Path, train_rows: int, seed: int, scale: str = "custom") -> GenerationSummary:
    """Write the six KKBOX files plus oracle.json, test_labels.csv and train_oracle.csv."""
    sizes = sizes_for(train_rows)
    rngs = _rngs(seed)
    world, labels = _world_and_labels(rngs, sizes)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = sum(
        write_csv(out_dir / name, header, columns)
        for name, header, columns in _tables(world, labels, rngs[7], sizes)
    )
    summary = GenerationSummary(
        out_dir=out_dir,
        scale=scale,
        seed=seed,
        sizes=sizes,
        bytes_written=written,
        train_score=score(labels.train_target, labels.train_probability),
        test_score=score(labels.test_target, labels.test_probability),
    )
    report = json.dumps(summary.oracle_report(), indent=2) + "\n"
    (out_dir / ORACLE_FILE).write_text(report, encoding="utf-8")
    return summary
