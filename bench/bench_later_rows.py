"""Quality on later rows: train on the sample's first 10,000 plays, score the 5,000 after them.

Usage: .venv/bin/python bench/bench_later_rows.py [--sample DIR] [--seeds 0,1,2,3,4]
       [--set KEY=VALUE ...] [--preset default] [--without FIELD,...]

The later rows resemble what a deployed model scores: about 43% of their listeners and songs
never appear in the first 10,000. For each seed the network is trained as `encore train`
trains it (`encore.pipeline.train_version`) and scored as `encore evaluate` scores a folder
(the one scoring path); beside it LightGBM on the raw columns, label-encoded, trained on the
same 10,000 rows (the number of rounds chosen by early stopping on their last 2,000, then
refitted on all 10,000), with the same seeds. Prints one JSON object: per seed the AUC on the
later rows, the median and spread (max - min) of each model, the network's validation AUC,
and the network's cold-start breakdown at its median seed.

``--without`` measures what spec fields bring (an ablation, for this bench only): their
columns carry nothing, in training and scoring alike (numbers 0 after scaling, share fields'
columns included; categorical indices the padding index, whose vector is zero).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from encore.artifacts import load_version
from encore.features import FeatureProcessor, PartArrays
from encore.features.evaluate import Evaluation
from encore.features.spec import categorical_of
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.metrics import auc
from encore.model import PRESETS
from encore.pipeline import train_version
from encore.scoring import evaluate

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "kkbox-sample"
TRAIN_ROWS = 10_000
SIDE_FILES = ("songs.csv", "members.csv", "song_extra_info.csv")
RAW_COLUMNS = (
    "msno", "song_id", "source_system_tab", "source_screen_name", "source_type",
    "song_length", "genre_ids", "artist_name", "composer", "lyricist", "language", "isrc",
    "city", "bd", "gender", "registered_via", "registration_init_time", "expiration_date",
)  # fmt: skip
NUMBERS = ("song_length", "bd", "registration_init_time", "expiration_date")
LIGHTGBM = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 63, "min_data_in_leaf": 20,
    "feature_fraction": 0.9, "bagging_fraction": 0.9, "bagging_freq": 1, "verbose": -1,
    "num_threads": 2,
}  # fmt: skip
# LightGBM prints its warnings on stdout, where they would break the JSON.
QUIET = {"verbose": -1}


def main() -> None:
    args = _arguments()
    _ablate(args.without)
    work = Path(tempfile.mkdtemp(prefix="bench-later-"))
    early, later = _folders(args.sample, work)
    config = PRESETS[args.preset].with_overrides(dict(p.split("=", 1) for p in args.set))
    network = [_network(early, later, config.with_overrides({"seed": s}), work) for s in args.seeds]
    with _stdout_to_stderr():  # LightGBM's native warnings would break the JSON
        boosted = [_lightgbm(early, later, seed) for seed in args.seeds]
    summary = _summary(args.seeds, network, boosted, config.to_dict())
    print(json.dumps(summary | {"without": args.without}, indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="default")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--without", default="", help="spec fields to ablate, comma-separated")
    args = parser.parse_args()
    args.seeds = [int(seed) for seed in args.seeds.split(",")]
    args.without = [name for name in args.without.split(",") if name]
    return args


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Everything written to file descriptor 1 in the block (native code included) goes to 2."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _ablate(fields: list[str]) -> None:
    """Every part the processor codes has the ``fields``' columns emptied of information."""
    if not fields:
        return
    coded = FeatureProcessor._coded

    def without(processor: FeatureProcessor, evaluation: Evaluation) -> PartArrays:
        arrays = coded(processor, evaluation)
        names = processor.numeric_names_of(evaluation.part)
        for j, name in enumerate(names):
            if name.split("=")[0].removesuffix("_missing") in fields:
                arrays.numeric[:, j] = 0.0
        for j, name in enumerate(categorical_of(evaluation.part)):
            if name in fields:
                arrays.codes[:, j] = 0
        return arrays

    FeatureProcessor._coded = without  # type: ignore[method-assign,assignment]


def _folders(sample: Path, work: Path) -> tuple[Path, Path]:
    """``early``: the first 10,000 plays as train.csv; ``later``: the rest as train.csv."""
    plays = pd.read_csv(sample / "train.csv", dtype=str, keep_default_na=False)
    folders = []
    for name, rows in (("early", plays.head(TRAIN_ROWS)), ("later", plays.iloc[TRAIN_ROWS:])):
        folder = work / name
        folder.mkdir()
        rows.to_csv(folder / "train.csv", index=False)
        for side in SIDE_FILES:
            (folder / side).symlink_to(sample / side)
        folders.append(folder)
    return folders[0], folders[1]


def _network(early: Path, later: Path, config: Any, work: Path) -> dict[str, Any]:
    version = train_version(early, work / "artifacts", config)
    loaded = load_version(version)
    section = evaluate(loaded, later).sections[0]
    return {
        "later_auc": section.model.auc,
        "valid_auc": loaded.manifest["final_metrics"]["auc"],
        # None when the code measured predates the breakdown (a baseline run).
        "cold_start": getattr(section, "cold_start", None),
    }


def _lightgbm(early: Path, later: Path, seed: int) -> float:
    train, test = _encoded(_joined(early), _joined(later))
    names = [name for name in RAW_COLUMNS if name not in NUMBERS]
    params = LIGHTGBM | {"seed": seed}
    fit, stop = train.iloc[: -len(train) // 5], train.iloc[-len(train) // 5 :]
    chosen = lgb.train(
        params,
        lgb.Dataset(fit[list(RAW_COLUMNS)], fit["target"], categorical_feature=names, params=QUIET),
        num_boost_round=2_000,
        valid_sets=[lgb.Dataset(stop[list(RAW_COLUMNS)], stop["target"], params=QUIET)],
        callbacks=[lgb.early_stopping(50, verbose=False)],
    ).best_iteration
    whole = lgb.Dataset(
        train[list(RAW_COLUMNS)], train["target"], categorical_feature=names, params=QUIET
    )
    booster = lgb.train(params, whole, num_boost_round=max(chosen, 1))
    return auc(test["target"].to_numpy(), np.asarray(booster.predict(test[list(RAW_COLUMNS)])))


def _joined(folder: Path) -> pd.DataFrame:
    dataset = load_dataset(folder, required=TRAINING_TABLES, skip=("test",))
    return consolidate(dataset.train, dataset)


def _encoded(train: pd.DataFrame, test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw columns, each text column as integer codes of its values (one code per
    distinct value over both sets, -1 missing), numbers as they are."""
    frames = (pd.DataFrame({"target": train["target"].to_numpy()}),
              pd.DataFrame({"target": test["target"].to_numpy()}))  # fmt: skip
    for name in RAW_COLUMNS:
        both = pd.concat([train[name].astype(object), test[name].astype(object)])
        if name in NUMBERS or pd.api.types.is_float_dtype(train[name].dtype):
            values = pd.to_numeric(both, errors="coerce").to_numpy()
        else:
            codes = pd.factorize(both)[0].astype(float)
            values = np.where(codes < 0, np.nan, codes)  # missing stays missing
        frames[0][name], frames[1][name] = values[: len(train)], values[len(train) :]
    return frames


def _summary(
    seeds: list[int], network: list[dict[str, Any]], boosted: list[float], config: Any
) -> dict[str, Any]:
    later = [run["later_auc"] for run in network]
    median_seed = seeds[int(np.argsort(later)[len(later) // 2])]
    return {
        "config": config,
        "seeds": seeds,
        "network": {
            "later_auc": [round(x, 4) for x in later],
            "median": round(statistics.median(later), 4),
            "spread": round(max(later) - min(later), 4),
            "valid_auc": [round(run["valid_auc"], 4) for run in network],
            "median_seed": median_seed,
            "cold_start_at_median_seed": network[seeds.index(median_seed)]["cold_start"],
        },
        "lightgbm": {
            "later_auc": [round(x, 4) for x in boosted],
            "median": round(statistics.median(boosted), 4),
            "spread": round(max(boosted) - min(boosted), 4),
        },
        "network_minus_lightgbm": round(statistics.median(later) - statistics.median(boosted), 4),
    }


if __name__ == "__main__":
    main()
