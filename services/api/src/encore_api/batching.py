"""Single rows that reach the event loop together, scored as one batch.

Scoring one row costs nearly what scoring eight does: almost all of it is the interpreter's
and numpy's fixed cost per call, not arithmetic. Under load, `/predict/one` requests arrive
several to a turn of the event loop, so each request leaves its row here and waits; a few
turns after the first one arrived (``ENCORE_ONE_ROW_TURNS``: one for the requests already
read, one more for those the next poll of the sockets brings), every row left so far is
scored in one call of the batch path `/predict` uses. A request alone waits those turns
more (microseconds); 0 turns scores each row as it comes.

A batch is scored with one serving version, whose name each of its answers carries. If a
batch fails, its rows are scored one by one, so a row that cannot be scored fails only its
own request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

from encore_api.predictor import Predictor, Serving

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Scored:
    version: str
    probability: float


Waiting = tuple[Row, "asyncio.Future[Scored]"]


class RowBatcher:
    def __init__(self, predictor: Predictor, turns: int, inline_rows: int) -> None:
        self._predictor = predictor
        self._turns = turns
        self._inline_rows = inline_rows
        self._waiting: list[Waiting] = []
        # Scoring in worker threads, held until done: the loop keeps only weak references.
        self._in_threads: set[asyncio.Task[None]] = set()

    async def scored(self, row: Row) -> Scored:
        """The row's probability, scored with the rows that arrive in the same few turns."""
        if not self._turns:
            return _alone(self._predictor, row)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Scored] = loop.create_future()
        if not self._waiting:
            loop.call_soon(self._in_turns, self._turns - 1)
        self._waiting.append((row, answer))
        return await answer

    def _in_turns(self, turns: int) -> None:
        loop = asyncio.get_running_loop()
        if turns:
            loop.call_soon(self._in_turns, turns - 1)
            return
        batch, self._waiting = self._waiting, []
        if len(batch) > self._inline_rows:  # as /predict: many rows go to a worker thread
            task = loop.create_task(self._score_in_thread(batch))
            self._in_threads.add(task)
            task.add_done_callback(self._in_threads.discard)
            return
        try:
            serving = self._predictor.current
            found = serving.probabilities([row for row, _ in batch])
        except Exception as exc:
            self._after_failure(batch, exc)
            return
        _answer_all(batch, serving.version, found)

    async def _score_in_thread(self, batch: list[Waiting]) -> None:
        try:
            serving = self._predictor.current
            found = await run_in_threadpool(serving.probabilities, [row for row, _ in batch])
        except Exception as exc:
            self._after_failure(batch, exc)
            return
        _answer_all(batch, serving.version, found)

    def _after_failure(self, batch: list[Waiting], failure: Exception) -> None:
        """One row's failure is its own request's: a failed batch is scored row by row."""
        if len(batch) == 1:
            _answer(batch[0][1], failure)
            return
        for row, answer in batch:
            try:
                outcome: Scored | Exception = _alone(self._predictor, row)
            except Exception as exc:
                outcome = exc
            _answer(answer, outcome)


def _alone(predictor: Predictor, row: Row) -> Scored:
    serving = predictor.current
    return Scored(serving.version, serving.probabilities([row])[0])


def _answer_all(batch: list[Waiting], version: str, probabilities: list[float]) -> None:
    for (_, answer), probability in zip(batch, probabilities, strict=True):
        _answer(answer, Scored(version, probability))


def _answer(answer: asyncio.Future[Scored], outcome: Scored | BaseException) -> None:
    if answer.done():  # the request went away
        return
    if isinstance(outcome, BaseException):
        answer.set_exception(outcome)
    else:
        answer.set_result(outcome)


async def score_rows(serving: Serving, rows: Sequence[Row], inline_rows: int) -> list[float]:
    """The rows' probabilities: on the event loop for a few rows, in a worker thread for more
    than ``inline_rows``, so that a large batch does not hold up the small ones."""
    if len(rows) <= inline_rows:
        return serving.probabilities(rows)
    return await run_in_threadpool(serving.probabilities, rows)
