"""/predict/one under concurrent requests: rows that arrive together are scored as one batch,
each request still gets its own row's answer, and one row's failure stays its own."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bench.asgi import post
from encore_api.predictor import Serving

Calls = list[tuple[int, str]]


@pytest.fixture
def scoring_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    """Each call of the scoring path: how many rows, and on which thread."""
    calls: Calls = []
    score = Serving.probabilities

    def counted(self: Serving, rows: Sequence[Mapping[str, Any]]) -> list[float]:
        calls.append((len(rows), threading.current_thread().name))
        if any(row.get("msno") == "unscorable" for row in rows):
            raise ValueError("this row cannot be scored")
        return score(self, rows)

    monkeypatch.setattr(Serving, "probabilities", counted)
    yield calls


def _together(client: TestClient, rows: list[dict[str, Any]]) -> list[Any]:
    """The answers to one /predict/one request per row, all sent at once."""
    bodies = [json.dumps(row).encode() for row in rows]

    async def send() -> list[Any]:
        posts = (post(client.app, "/predict/one", body) for body in bodies)
        return await asyncio.gather(*posts, return_exceptions=True)

    assert client.portal is not None
    return client.portal.call(send)


def _batch(client: TestClient, rows: list[dict[str, Any]]) -> list[float]:
    return [p["probability"] for p in _predicted(client, rows)["predictions"]]


def _batch_then_together(
    client: TestClient, rows: list[dict[str, Any]], calls: Calls
) -> tuple[list[float], list[float]]:
    """/predict's probabilities for the rows, then /predict/one's with every row sent at
    once; ``calls`` holds only the second's scoring calls."""
    expected = _batch(client, rows)
    calls.clear()
    answers = _together(client, rows)
    return expected, [json.loads(body)["probability"] for _, body in answers]


def _predicted(client: TestClient, rows: list[dict[str, Any]]) -> dict[str, Any]:
    response = client.post("/predict", json={"rows": rows})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_rows_sent_together_are_scored_once_and_each_gets_its_own_answer(
    client: TestClient, valid_rows: list[dict[str, Any]], scoring_calls: Calls
) -> None:
    predicted = _predicted(client, valid_rows)
    expected = [p["probability"] for p in predicted["predictions"]]
    scoring_calls.clear()
    answers = _together(client, valid_rows)
    assert [count for count, _ in scoring_calls] == [len(valid_rows)]
    assert [status for status, _ in answers] == [200] * len(valid_rows)
    bodies = [json.loads(body) for _, body in answers]
    assert [b["probability"] for b in bodies] == pytest.approx(expected, abs=1e-7)
    assert [b["label"] for b in bodies] == [int(p >= 0.5) for p in expected]
    assert {b["model_version"] for b in bodies} == {predicted["model_version"]}


def test_no_turns_scores_each_row_alone_with_the_same_answers(
    make_client: Callable[..., TestClient],
    valid_rows: list[dict[str, Any]],
    scoring_calls: Calls,
) -> None:
    client = make_client(one_row_turns=0)
    expected, probabilities = _batch_then_together(client, valid_rows, scoring_calls)
    assert [count for count, _ in scoring_calls] == [1] * len(valid_rows)
    assert probabilities == pytest.approx(expected, abs=1e-7)


def test_a_row_that_cannot_be_scored_fails_only_its_own_request(
    client: TestClient, valid_rows: list[dict[str, Any]], scoring_calls: Calls
) -> None:
    rows = valid_rows[:5]
    expected = _batch(client, rows)
    broken = {"msno": "unscorable", "song_id": rows[0]["song_id"]}
    answers = _together(client, [*rows[:2], broken, *rows[2:]])
    assert isinstance(answers[2], ValueError)  # the server's error, after its 500
    kept = answers[:2] + answers[3:]
    assert [status for status, _ in kept] == [200] * len(rows)
    assert [json.loads(body)["probability"] for _, body in kept] == pytest.approx(
        expected, abs=1e-7
    )


def test_more_rows_than_scored_inline_go_to_a_worker_thread(
    make_client: Callable[..., TestClient],
    valid_rows: list[dict[str, Any]],
    scoring_calls: Calls,
) -> None:
    client = make_client(inline_rows=4)
    expected, probabilities = _batch_then_together(client, valid_rows, scoring_calls)
    loop_thread = client.portal.call(lambda: threading.current_thread().name)  # type: ignore[union-attr]
    assert [count for count, _ in scoring_calls] == [len(valid_rows)]
    assert scoring_calls[0][1] != loop_thread
    assert probabilities == pytest.approx(expected, abs=1e-7)
