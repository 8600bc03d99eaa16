"""Session metrics: every figure of docs/metrics.md.

- `compute(store, session_id)`: a whole session, from the database (the review, `studio metrics`).
- `LiveMetrics`: the same figures kept up to date while a session runs (the live graphs).

Both return a `model.Figures`: the figures as a tree of frozen dataclasses, read by attribute,
with `to_json()` for the JSON object of the spec. The modules, in the order the figures are
made: `common` (the shared vocabulary) and `references` (what the figures are read against),
`presence` (who was there when), `tallies` (comments and money), `prior` (earlier sessions),
`health_figures`, `figures` (the Figures of a session), `flags` and `messages` (flags, warnings
and their sentences), then the two paths `batch` and `live`. docs/metrics.md describes every
figure; `studio metrics` prints them as a table (studio/commands/_metrics_table.py).
"""

from __future__ import annotations

from studio.core.metrics.batch import compute
from studio.core.metrics.live import LiveMetrics
from studio.core.metrics.prior import Prior, load_prior

__all__ = ["LiveMetrics", "Prior", "compute", "load_prior"]
