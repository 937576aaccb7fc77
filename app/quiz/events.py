"""Play announces itself; other features listen (connected in the factory, app.configure_play).

- `attempt_started(app, attempt=Attempt)`: after the new attempt is committed.
- `attempt_finished(app, attempt=Attempt, score=int)`: inside the transaction that closes the
  attempt, before it commits, exactly once per attempt (a second finish announces nothing).
  Listeners write in the same transaction (a board row, a family's first play) and may set
  `attempt.counted` and `attempt.count_note`; if one raises, nothing of the finish is kept.

Play never imports its listeners: counting, family plays and board caches live above it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
attempt_started = _signals.signal("attempt-started")
attempt_finished = _signals.signal("attempt-finished")
# `result_shown(app, attempt=Attempt, score=Score)`: a finished attempt's result page is being built;
# a listener may return a ResultSection (a template of its own and that template's values) to show
# below the score — the certificate, the pledge and the family link come this way.
result_shown = _signals.signal("result-shown")
