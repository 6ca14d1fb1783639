"""Where a play was started from: (source_type, source_system_tab, source_screen_name) contexts.

The three fields are strongly tied in the real logs (a radio play is "radio/Radio/radio"), so
sessions draw a whole context from this table rather than each field on its own. Weights are
percent of plays in train and in test (test leans more on discovery, as the real test does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# (source_type, source_system_tab, source_screen_name, train weight, test weight)
_CONTEXTS: tuple[tuple[str, str, str, float, float], ...] = (
    ("local-library", "my library", "Local playlist more", 24.0, 18.0),
    ("local-library", "my library", "My library", 1.5, 1.0),
    ("local-library", "my library", "", 1.0, 0.7),
    ("local-library", "my library", "My library_Search", 0.1, 0.1),
    ("local-library", "discover", "Local playlist more", 0.5, 0.3),
    ("local-library", "null", "", 0.05, 0.05),
    ("local-library", "settings", "", 0.03, 0.03),
    ("local-library", "", "", 0.1, 0.05),
    ("local-playlist", "my library", "Local playlist more", 12.5, 8.0),
    ("local-playlist", "my library", "My library", 1.0, 0.7),
    ("local-playlist", "my library", "", 0.4, 0.3),
    ("online-playlist", "discover", "Online playlist more", 14.0, 17.0),
    ("online-playlist", "discover", "Discover Chart", 2.9, 4.0),
    ("online-playlist", "discover", "Discover Feature", 1.5, 2.0),
    ("online-playlist", "discover", "Discover Genre", 1.1, 1.5),
    ("online-playlist", "discover", "Discover New", 0.2, 0.3),
    ("online-playlist", "discover", "Unknown", 0.7, 0.8),
    ("online-playlist", "discover", "Concert", 0.002, 0.002),
    ("online-playlist", "discover", "", 0.9, 1.0),
    ("online-playlist", "explore", "Explore", 1.0, 0.8),
    ("online-playlist", "my library", "My library", 0.3, 0.3),
    ("online-playlist", "search", "Search", 0.5, 0.6),
    ("online-playlist", "listen with", "", 0.3, 0.3),
    ("online-playlist", "notification", "", 0.05, 0.05),
    ("online-playlist", "null", "", 0.04, 0.03),
    ("radio", "radio", "Radio", 6.4, 6.0),
    ("radio", "radio", "", 0.1, 0.1),
    ("album", "discover", "Album more", 2.5, 3.0),
    ("album", "my library", "Album more", 2.0, 2.0),
    ("album", "search", "Album more", 0.8, 1.0),
    ("album", "discover", "", 0.4, 0.5),
    ("album", "notification", "Album more", 0.05, 0.05),
    ("album", "my library", "Payment", 0.001, 0.001),
    ("top-hits-for-artist", "search", "Artist more", 2.0, 2.5),
    ("top-hits-for-artist", "discover", "Artist more", 1.4, 1.6),
    ("top-hits-for-artist", "my library", "Artist more", 0.9, 1.0),
    ("top-hits-for-artist", "discover", "", 0.5, 0.6),
    ("song", "search", "Search", 1.6, 2.2),
    ("song", "search", "Search Trends", 0.18, 0.2),
    ("song", "search", "Search Home", 0.18, 0.2),
    ("song", "discover", "", 0.6, 0.7),
    ("song", "my library", "My library_Search", 0.05, 0.05),
    ("song-based-playlist", "discover", "Discover Feature", 1.5, 1.8),
    ("song-based-playlist", "discover", "Online playlist more", 0.6, 0.8),
    ("song-based-playlist", "discover", "", 0.4, 0.5),
    ("listen-with", "listen with", "Others profile more", 2.7, 2.4),
    ("listen-with", "listen with", "Self profile more", 0.003, 0.003),
    ("listen-with", "listen with", "People global", 0.0, 0.3),
    ("listen-with", "listen with", "People local", 0.0, 0.2),
    ("artist", "discover", "Artist more", 0.02, 0.02),
    ("artist", "my library", "Artist more", 0.02, 0.02),
    ("topic-article-playlist", "discover", "Discover Feature", 0.15, 0.2),
    ("my-daily-playlist", "discover", "Discover Feature", 0.01, 0.05),
    ("", "discover", "", 0.2, 0.1),
    ("", "my library", "", 0.05, 0.02),
    ("", "", "", 0.15, 0.1),
)

# Planted main effects on the replay log-odds.
_TYPE_EFFECTS = {
    "local-library": 1.0,
    "local-playlist": 0.9,
    "online-playlist": 0.0,
    "album": -0.1,
    "song": -0.1,
    "song-based-playlist": -0.4,
    "top-hits-for-artist": -0.1,
    "radio": -1.4,
    "listen-with": -0.8,
    "artist": -0.6,
    "topic-article-playlist": -0.4,
    "my-daily-playlist": -0.3,
    "": 0.4,
}
_TAB_EFFECTS = {"my library": 0.2, "search": 0.1, "radio": -0.1}
_LOCAL_TYPES = ("local-library", "local-playlist")


@dataclass(frozen=True)
class ContextTable:
    """The contexts as parallel arrays; a play stores an index into them."""

    source_type: np.ndarray
    system_tab: np.ndarray
    screen_name: np.ndarray
    effect: np.ndarray
    is_local: np.ndarray
    train_share: np.ndarray
    test_share: np.ndarray


def _shares(weights: list[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=np.float64)
    shares: np.ndarray = array / array.sum()
    return shares


def context_table() -> ContextTable:
    types, tabs, screens, train_w, test_w = zip(*_CONTEXTS, strict=True)
    effect = [
        _TYPE_EFFECTS[t] + _TAB_EFFECTS.get(tab, 0.0) for t, tab in zip(types, tabs, strict=True)
    ]
    return ContextTable(
        source_type=np.array(types, dtype=object),
        system_tab=np.array(tabs, dtype=object),
        screen_name=np.array(screens, dtype=object),
        effect=np.asarray(effect),
        is_local=np.isin(np.array(types, dtype=object), _LOCAL_TYPES),
        train_share=_shares(list(train_w)),
        test_share=_shares(list(test_w)),
    )
