"""Session metrics: every figure of spec/metrics.md.

- `compute(store, session_id)`: a whole session, from the database (the review, `studio metrics`).
- `LiveMetrics`: the same figures kept up to date while a session runs (the live graphs).
- `format_table(figures)`: the figures as a readable text table (the CLI).

The modules, in the order the figures are made: `presence` (who was there when), `tallies`
(comments and money), `prior` (earlier sessions), `health_figures`, `figures` (the JSON object),
`flags` and `messages` (flags, warnings and their sentences), then the two paths `batch` and
`live`, and `table`. docs/metrics.md describes every figure.
"""

from __future__ import annotations

from studio.core.metrics.batch import compute
from studio.core.metrics.live import LiveMetrics
from studio.core.metrics.prior import Prior, load_prior
from studio.core.metrics.table import format_table

__all__ = ["LiveMetrics", "Prior", "compute", "format_table", "load_prior"]
