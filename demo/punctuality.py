"""How punctual teachers are (R-CONTROL-1): most fill in a held lesson's journal during the
lesson; now and then one does it days later, or has not done it yet."""

import random
from datetime import date, datetime, time, timedelta

from demo.dates import SCHOOL_TZ, at
from resolvers.journal.deadlines import ENTRY_DAYS

# The chance that a lesson's journal is filled in after its deadline.
LATE = 0.05
TIMEZONE = SCHOOL_TZ.key


class Punctuality:
    """When each held lesson's journal is filled in. Its own random stream, so that the rest of
    the generated school does not depend on it."""

    def __init__(self, school_id: int, today: date) -> None:
        self.today = today
        self.rng = random.Random(f"punctuality:{school_id}:{today.isoformat()}")

    def filled_at(self, day: date, starts_at: time) -> datetime | None:
        """At the lesson's start, or a few days late; None: not yet filled in by `today`."""
        if self.rng.random() >= LATE:
            return at(day, starts_at)
        late_day = day + timedelta(days=ENTRY_DAYS + self.rng.randint(1, 4))
        if late_day >= self.today:
            return None
        return at(late_day, time(self.rng.randint(15, 21), self.rng.randint(0, 59)))

    def final_grades_at(self, ends_on: date) -> datetime | None:
        """Term grades are mostly set on the term's last day; some a week and more later."""
        if self.rng.random() >= LATE * 2:
            return at(ends_on, time(19))
        late_day = ends_on + timedelta(days=self.rng.randint(8, 12))
        return at(late_day, time(17)) if late_day < self.today else None
