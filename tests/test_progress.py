import io

from encore.progress import ConsoleProgress
from encore.training import EpochMetrics

METRICS = EpochMetrics(
    epoch=2, train_loss=0.5, valid_loss=0.6, auc=0.75, accuracy=0.7, precision=0.69,
    recall=0.71, learning_rate=3e-3, seconds=1.0, rows_per_second=150_000.0,
)  # fmt: skip


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_lines_without_a_terminal_show_every_epoch_metric_and_no_bar():
    stream = io.StringIO()
    progress = ConsoleProgress(max_epochs=10, stream=stream)
    progress.batch(50, 100)
    progress.epoch(METRICS)
    text = stream.getvalue()
    assert "[" not in text.split("]", 1)[1]
    expected = ("epoch 2/10", "valid loss 0.6000", "AUC 0.7500", "recall 0.7100", "150,000 rows/s")
    assert all(part in text for part in expected)


def test_a_terminal_gets_a_live_bar_cleared_before_the_epoch_line():
    stream = Terminal()
    progress = ConsoleProgress(max_epochs=10, stream=stream)
    progress.batch(50, 100)
    progress.epoch(METRICS)
    text = stream.getvalue()
    assert "\r  [############------------] 50/100 rows" in text
    assert text.index("50/100") < text.index("epoch 2/10")
