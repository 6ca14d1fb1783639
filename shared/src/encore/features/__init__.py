"""Feature processing: fitted on training rows only, saved as JSON, applied to any rows.

Categorical fields (one vocabulary each; 0 padding, 1 out-of-vocabulary, 2 missing):
msno, song_id, the three source fields, genre1, genre2, artist1, artist2, composer1,
lyricist1, language, city, gender, registered_via, isrc_country, song_year.

Numeric fields, standardised with training mean and deviation, missing -> 0:
song_length (log1p), song_year, registration_year, expiration_year, membership_days, age,
the flags featured_artist, artist_is_composer, artist_is_lyricist, artist_composer_lyricist,
more_than_two_genres, more_than_two_artists; user_plays, song_plays and artist_plays
(training counts, log1p); each user's share of plays per source_type and source_system_tab
value; then a 0/1 ``<name>_missing`` column for the first six.
"""

from encore.features.config import FeatureConfig
from encore.features.processor import FeatureMatrix, FeatureProcessor

__all__ = ["FeatureConfig", "FeatureMatrix", "FeatureProcessor"]
