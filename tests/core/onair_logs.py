"""A small show for the on-air tests: three viewers, a pin, a flash sale with a freeze in it,
questions in three categories. Figures worked out by hand are in the tests that use it."""

from __future__ import annotations

from studio.core.store import Store
from tests.core.metrics_logs import ev, make_session, paid_order

SHOW = [
    ev(0, "join", "a", source="ads"),
    ev(5, "join", "b", source="follow_feed"),
    ev(10, "join", "c", source="organic"),
    ev(20, "marker", label="pin SKU-1", id="m1"),
    ev(30, "comment", "a", text="how much is shipping to Texas?", id="q1"),
    ev(31, "comment", "b", text="is it really $20?", id="q2"),
    ev(32, "comment", "c", text="hello from Ohio", id="c1"),
    ev(33, "comment", "c", text="can I return it if it does not fit?", id="q3"),
    ev(40, "product_click", "a", sku="SKU-1"),
    ev(41, "product_click", "b", sku="SKU-1"),
    ev(42, "add_to_cart", "b", sku="SKU-1", qty=1),
    *paid_order(50, "b", "o1", "SKU-1", 1, "20.00"),
    ev(60, "leave", "c"),
    ev(100, "marker", label="flash sale start", id="m2"),
    ev(120, "health_incident_start", extra={"incident": "freeze", "incident_id": "f1"}, id="h1"),
    ev(126, "health_incident_end", extra={"incident": "freeze", "incident_id": "f1"}, id="h2"),
    ev(150, "marker", label="flash sale end", id="m3"),
    ev(300, "leave", "a"),
]


def show_session(store: Store) -> int:
    return make_session(store, SHOW, start=0.0, end=600.0)
