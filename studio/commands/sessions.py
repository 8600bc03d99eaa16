"""`studio sessions`: the sessions in a database."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import UTC, datetime

from studio.commands._common import add_db_option, columns, open_store, print_json
from studio.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sessions", help="list sessions")
    add_db_option(parser)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from studio.core.markets import UnknownMarket, market
    from studio.core.metrics.prior import session_bounds
    from studio.core.names import MODE_NAMES

    with open_store(args) as store:
        sessions = store.sessions()
        counts = dict(
            store.reader()
            .execute("SELECT session_id, count(*) FROM events GROUP BY session_id")
            .fetchall()
        )
        # The start `metrics` uses: the one given, else the first event's time.
        starts = {s.id: session_bounds(store, s)[0] for s in sessions}
    if args.json:
        print_json([{**asdict(s), "start": starts[s.id], "events": counts.get(s.id, 0)}
                    for s in sessions])
        return 0
    if not sessions:
        print(_("no sessions yet"))
        return 0

    def started(session) -> str:
        start = starts[session.id]
        if start is None:
            return "-"
        try:
            return market(session.market).local_and_utc(start)
        except UnknownMarket:  # a database from a version that knew more markets
            return datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%d %H:%M UTC")

    rows = [(_("id"), _("market"), _("platform"), _("mode"), _("started (market time, UTC)"),
             _("events"), _("title"))]
    rows += [
        (
            str(s.id),
            s.market,
            s.platform or "-",
            _(MODE_NAMES[s.mode]) if s.mode in MODE_NAMES else s.mode,
            started(s),
            str(counts.get(s.id, 0)),
            s.title,
        )
        for s in sessions
    ]
    for line in columns(rows, indent=""):
        print(line)
    return 0
