"""How close to the oracle a model fitted on generated rows can get: the planted model's own
structure, its parameters learnt from the training rows, scored on the validation rows.

Usage: .venv/bin/python -m bench.bench_ceiling [--scale full] [--seed 0] [--decays 1,3,10]
       [--epochs 25]

The oracle scores with every listener's and song's true parameters; a model only has the rows.
This fits the planted model (encore/datagen/taste.py: the context's effect, the listener's
replay propensity and extra propensity for local sources, the song's popularity, the
listener's taste factors times the song's genre, artist and language factors, the time drift)
with more than the five files tell: the generator's own entities, which contexts are local,
each play's time. What stays unknown is what the rows have to estimate: each listener's and
each song's parameters (popularity is the log of the song's training plays, with a learnt
weight). Fitted by Adam with an L2 penalty on the per-listener and per-style tables
(``--decays``, the penalty's weight over the training rows), on the pipeline's split (the first
80% of train.csv; the last 20% validate, as `encore train` does). Prints one JSON object: per
decay the validation AUC by epoch and its best, beside the oracle's AUC on the same rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from torch import nn

from encore import split
from encore.datagen.catalogue import LANGUAGES
from encore.datagen.generate import World, world_and_labels
from encore.datagen.genres import GENRE_IDS
from encore.datagen.sizes import SCALES
from encore.datagen.sources import context_table
from encore.datagen.taste import FACTORS

VALID_FRACTION = 0.2
BATCH_ROWS = 65_536
RATE = 0.02


@dataclass(frozen=True)
class Rows:
    """Train.csv's plays as index tensors, with each song's and context's known attributes."""

    user: torch.Tensor
    song: torch.Tensor
    context: torch.Tensor
    time: torch.Tensor
    target: torch.Tensor
    genre: torch.Tensor  # per song; the genre's factors count only where it is shown
    genre_shown: torch.Tensor
    artist: torch.Tensor
    language: torch.Tensor
    is_local: torch.Tensor  # per context
    song_plays: torch.Tensor  # per song, log(1 + training plays)
    user_plays: torch.Tensor  # per listener, log(1 + training plays)

    @classmethod
    def of(cls, world: World, target: np.ndarray, train_rows: int) -> Rows:
        plays, songs = world.train, world.songs
        user, song = torch.from_numpy(plays.user).long(), torch.from_numpy(plays.song).long()
        return cls(
            user=user,
            song=song,
            context=torch.from_numpy(plays.context).long(),
            time=torch.from_numpy(plays.time).float(),
            target=torch.from_numpy(target).float(),
            genre=torch.from_numpy(songs.genre).long(),
            genre_shown=torch.from_numpy(songs.genre_text.codes >= 0).float(),
            artist=torch.from_numpy(songs.artist).long(),
            language=torch.from_numpy(songs.language).long(),
            is_local=torch.from_numpy(context_table().is_local.astype(np.float32)),
            song_plays=_log_counts(song[:train_rows], songs.popularity.size),
            user_plays=_log_counts(user[:train_rows], len(world.members)),
        )


def _log_counts(values: torch.Tensor, size: int) -> torch.Tensor:
    return torch.log1p(torch.bincount(values, minlength=size).float())


class PlantedFit(nn.Module):
    """The planted model's log-odds with learnt parameters."""

    def __init__(self, rows: Rows) -> None:
        super().__init__()
        users, contexts = rows.user_plays.numel(), rows.is_local.numel()
        artists = int(rows.artist.max()) + 1
        self.rows = rows
        self.user_bias, self.local_bias = _zeros(users), _zeros(users)
        self.user_taste, self.shared_taste = _small(users, FACTORS), _zeros(FACTORS)
        self.genre, self.artist = _small(GENRE_IDS.size, FACTORS), _small(artists, FACTORS)
        self.language = _small(LANGUAGES.size + 1, FACTORS)
        self.context_effect = _zeros(contexts)
        self.weights = _zeros(4)  # intercept, drift, song plays, user plays

    def forward(self, at: torch.Tensor) -> torch.Tensor:
        r = self.rows
        user, song, context = r.user[at], r.song[at], r.context[at]
        style = self.genre[r.genre[song]] * r.genre_shown[song, None]
        style = style + self.artist[r.artist[song]] + self.language[r.language[song]]
        taste = self.user_taste[user] + self.shared_taste
        intercept, drift, song_weight, user_weight = self.weights
        logits: torch.Tensor = (
            intercept
            + self.user_bias[user]
            + self.local_bias[user] * r.is_local[context]
            + self.context_effect[context]
            + (taste * style).sum(1)
            + drift * (r.time[at] - 0.5)
            + song_weight * r.song_plays[song]
            + user_weight * r.user_plays[user]
        )
        return logits

    def penalty(self) -> torch.Tensor:
        tables = (self.user_bias, self.local_bias, self.user_taste, self.genre, self.artist,
                  self.language)  # fmt: skip
        return sum((table**2).sum() for table in tables)  # type: ignore[return-value]


def _zeros(*shape: int) -> nn.Parameter:
    return nn.Parameter(torch.zeros(*shape))


def _small(*shape: int) -> nn.Parameter:
    return nn.Parameter(torch.randn(*shape) * 0.1)


def fit(rows: Rows, train_rows: int, decay: float, epochs: int) -> list[float]:
    """Validation AUC after each epoch."""
    torch.manual_seed(0)
    model = PlantedFit(rows)
    optimizer = torch.optim.Adam(model.parameters(), lr=RATE)
    valid = torch.arange(train_rows, rows.target.numel())
    aucs = []
    for _ in range(epochs):
        for batch in torch.split(torch.randperm(train_rows), BATCH_ROWS):
            loss = nn.functional.binary_cross_entropy_with_logits(model(batch), rows.target[batch])
            optimizer.zero_grad()
            torch.autograd.backward(loss + decay * model.penalty() / train_rows)
            optimizer.step()
        aucs.append(round(_auc(model, rows, valid), 4))
        print(json.dumps({"decay": decay, "epoch": len(aucs), "auc": aucs[-1]}), file=sys.stderr)
    return aucs


@torch.no_grad()
def _auc(model: PlantedFit, rows: Rows, valid: torch.Tensor) -> float:
    logits = torch.cat([model(part) for part in torch.split(valid, BATCH_ROWS)])
    return float(roc_auc_score(rows.target[valid].numpy(), logits.numpy()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed")
    parser.add_argument("--decays", default="1,3,10")
    parser.add_argument("--epochs", type=int, default=25)
    args = parser.parse_args()
    world, labels = world_and_labels(SCALES[args.scale], args.seed)
    train_rows = split.chronological(len(world.train), VALID_FRACTION)[0].size
    rows = Rows.of(world, labels.train_target, train_rows)
    later = slice(train_rows, None)
    oracle = roc_auc_score(labels.train_target[later], labels.train_probability[later])
    result: dict[str, Any] = {"scale": args.scale, "seed": args.seed}
    result["oracle_auc"] = round(oracle, 4)
    for decay in (float(text) for text in args.decays.split(",")):
        aucs = fit(rows, train_rows, decay, args.epochs)
        result[f"decay {decay:g}"] = {"best_auc": max(aucs), "auc_by_epoch": aucs}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
