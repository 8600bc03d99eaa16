"""`studio serve`: the live ingest endpoint without a window (docs/ingest.md).

Prints the URL and the token, then serves until SIGTERM or SIGINT (Ctrl+C), when it finishes
the requests in flight, lets the writer commit what it queued and closes the database.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TYPE_CHECKING

from studio.commands._common import UserError, add_db_option, open_store
from studio.i18n import N_, _, ngettext
from studio.i18n.render import render_error

if TYPE_CHECKING:
    from studio.ingest import IngestStats

EXPOSED_WARNING = N_(
    "warning: the ingest endpoint listens on {host}, so other machines on the network can "
    "reach it; anyone who has the token can write into this database. Use a private network "
    "or a firewall, and keep the token secret."
)


def register(sub: argparse._SubParsersAction) -> None:
    from studio.ingest.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY, DEFAULT_PORT

    parser = sub.add_parser(
        "serve", help="run the live ingest endpoint (HTTP on 127.0.0.1) without the window"
    )
    add_db_option(parser)
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT,
                        help=f"TCP port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--token",
                        help="the bearer token clients must send (default: this "
                             "installation's token, made once and shown in the app)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--host", default=DEFAULT_HOST,
                       help=f"address to listen on (default {DEFAULT_HOST}, this machine only); "
                            "any other address exposes the endpoint and prints a warning")
    where.add_argument("--expose", dest="host", action="store_const", const="0.0.0.0",
                       help="listen on every network interface (0.0.0.0), with a warning")
    parser.add_argument("--max-body", type=_positive, default=DEFAULT_MAX_BODY,
                        metavar="BYTES",
                        help=f"largest request body (default {DEFAULT_MAX_BODY} bytes)")
    parser.set_defaults(func=run)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(_('"{text}" is not a port (0 to 65535)').format(
            text=text))
    return port


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_('"{text}" is not a positive whole number').format(
            text=text))
    return value


def run(args: argparse.Namespace) -> int:
    from studio.ingest import (
        IngestError,
        IngestServer,
        TokenError,
        check_token,
        installation_token,
        is_loopback,
    )

    stop = threading.Event()
    # A missing database is refused first: serving a new empty one would answer 404 to
    # every post.
    with open_store(args) as store:
        try:
            token = check_token(args.token) if args.token is not None else installation_token()
        except TokenError as exc:
            raise UserError(_("--token: {problem}").format(problem=render_error(exc))) from None
        server = IngestServer(store, host=args.host, port=args.port, token=token,
                              max_body=args.max_body)
        previous = _on_signals(lambda *_: stop.set())
        try:
            try:
                server.start()
            except IngestError as exc:
                raise UserError(_("{problem} (is another studio already serving?)").format(
                    problem=render_error(exc))) from None
            print(_("listening on {url}").format(url=server.url), flush=True)
            print(_("token {token}").format(token=token), flush=True)
            print(_("post events to {url}/v1/sessions/ID/events with the header "
                    "Authorization: Bearer <token>; Ctrl+C stops").format(url=server.url),
                  flush=True)
            if not is_loopback(args.host):
                print(_(EXPOSED_WARNING).format(host=args.host), file=sys.stderr, flush=True)
            while not stop.wait(0.5):  # a timeout keeps signal handlers running on Windows
                pass
        finally:
            server.stop()
            _restore(previous)
        stats = server.stats()
    print(stopped_line(stats), file=sys.stderr)
    return 0


def stopped_line(stats: IngestStats) -> str:
    added = ngettext("{n} event added", "{n} events added", stats.accepted)
    refused = ngettext("{n} body refused", "{n} bodies refused", stats.rejected)
    return _("stopped: {added}, {duplicates} already there, {refused}").format(
        added=added.format(n=stats.accepted), duplicates=stats.duplicates,
        refused=refused.format(n=stats.rejected))


def _on_signals(handler) -> dict[int, object]:
    previous = {}
    for name in ("SIGTERM", "SIGINT"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    return previous


def _restore(previous: dict[int, object]) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)
