"""`encore recommend-eval`: recommendations against the most played songs, on later plays."""

from __future__ import annotations

import argparse
import json
from typing import Any

from encore.commands.options import add_command, add_data, add_json, add_model_choice
from encore.commands.records import stored_model
from encore.errors import EncoreError

KS = (10, 50, 100)


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "recommend-eval",
        "hit rate and recall of a version's recommendations on later plays, against popularity",
        "For every listener the version saw in training who replays songs in the later plays "
        "(test.csv with test_labels.csv in --data where both are there, as generated data "
        "has; else train.csv of --data, holding plays that come after the training plays), "
        "the songs they replayed are the relevant set. Prints hit rate and recall at 10, 50 "
        "and 100 of the version's recommendations (its stored candidates ranked with the "
        "model, at each --weights value; 0 ranks by the candidates alone) and of the most "
        "played songs each listener has not played, on the same listeners, with the share "
        "of relevant songs reachable in the candidate pool.",
        run,
    )
    add_model_choice(parser)
    add_data(parser)
    parser.add_argument("--weights", metavar="W,W",
                        help="model weights to rank with (default: 0, the candidates alone, "
                             "and the weight /recommend ranks with)")  # fmt: skip
    parser.add_argument("--listeners", type=int, metavar="N",
                        help="score N listeners drawn at random (default: all)")  # fmt: skip
    parser.add_argument("--per-artist", type=int, metavar="N",
                        help="rank at most N songs of one artist before all others")  # fmt: skip
    add_json(parser)


def run(args: argparse.Namespace) -> int:
    from encore.artifacts import load_version
    from encore.scoring.recommend import MODEL_WEIGHT
    from encore.scoring.recommend_eval import evaluate_recommendations

    weights = _weights(args.weights) if args.weights is not None else [0.0, MODEL_WEIGHT]
    for name in ("listeners", "per_artist"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            raise EncoreError(f"--{name.replace('_', '-')}: give a number of at least 1")
    loaded = load_version(stored_model(args.model, args.artifacts))
    result = evaluate_recommendations(
        loaded, args.data, weights, args.listeners, per_artist=args.per_artist
    )
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


def _weights(text: str) -> list[float]:
    try:
        weights = [float(item) for item in text.split(",")]
    except ValueError:
        raise EncoreError(f"--weights: {text!r} is not a list of numbers such as 0,1") from None
    if any(weight < 0 or weight != weight for weight in weights):
        raise EncoreError("--weights: each weight is a number of at least 0")
    return weights


def render(result: dict[str, Any]) -> str:
    reach = result["reachable"]
    heading = "".join(f"{'hit@' + str(k):>9}" for k in KS) + "".join(
        f"{'recall@' + str(k):>11}" for k in KS
    )
    lines = [
        f"model {result['model_version']} on {result['later_plays']}",
        f"{result['listeners']:,} listeners with training plays, "
        f"{result['relevant_songs']:,} songs they replayed later",
        f"reachable: {reach['pool']:.1%} in their candidate pools "
        f"({reach['mean_pool_size']:.0f} songs on average), "
        f"{reach['popularity']:.1%} in as many most played songs",
        *([f"at most {result['per_artist']} songs per artist before the others"]
          if result["per_artist"] else []),
        "",
        f"{'':34}{heading}",
    ]
    for name, figures in result["methods"].items():
        cells = "".join(f"{figures[f'hit_rate@{k}']:9.3f}" for k in KS)
        cells += "".join(f"{figures[f'recall@{k}']:11.3f}" for k in KS)
        lines.append(f"{name:34}{cells}")
    return "\n".join(lines)
