"""`studio metrics ID`: every figure of docs/metrics.md for one session, as JSON or a table."""

from __future__ import annotations

import argparse

from studio.commands._common import add_db_option, open_store, print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("metrics", help="a session's figures (docs/metrics.md)")
    parser.add_argument("session", type=int, metavar="ID", help="the session id")
    add_db_option(parser)
    parser.add_argument("--json", action="store_true",
                        help="print every figure as JSON, with the keys of docs/metrics.md")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from studio.commands._metrics_table import format_no_data, format_table
    from studio.core.metrics import compute
    from studio.i18n.render import render

    with open_store(args) as store:
        session = store.session(args.session)
        figures = compute(store, session.id)
        measured = store.event_count(session.id) > 0 or store.reader().execute(
            "SELECT 1 FROM health_samples WHERE session_id = ? LIMIT 1", [session.id]
        ).fetchone() is not None
    if args.json:
        print_json(figures.to_json(render))
    elif not measured:
        print(format_no_data(session), end="")
    else:
        print(format_table(figures), end="")
    return 0
