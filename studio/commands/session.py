"""`studio session create`: a new session, its id printed."""

from __future__ import annotations

import argparse
from datetime import datetime

from studio.commands._common import UserError, add_db_option, open_store
from studio.core.platforms import PLATFORM_NAMES
from studio.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("session", help="create sessions")
    verbs = parser.add_subparsers(dest="session_command", metavar="VERB", required=True)
    create = verbs.add_parser("create", help="create a session and print its id")
    add_db_option(create)
    create.add_argument("--market", required=True, help="market code, e.g. US, ID, DE")
    create.add_argument("--title", required=True)
    create.add_argument("--platform", default="", choices=PLATFORM_NAMES, metavar="P",
                        help=f"the platform: {', '.join(PLATFORM_NAMES)}")
    create.add_argument("--account", default="", help="the shop/channel account on the platform")
    create.add_argument("--start", help="start time, ISO 8601 (no offset: the market's zone)")
    create.add_argument("--end", help="end time, ISO 8601")
    create.add_argument("--mode", choices=("live", "replay"), default="live")
    create.add_argument("--replay-of", type=int, help="the live session a replay replays")
    create.add_argument("--script-variant", help="the script variant used on air")
    create.set_defaults(func=run_create)


def parse_time(text: str | None, option: str, tz) -> float | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(_('{option} "{text}" is not an ISO 8601 time like 2026-11-25T20:00')
                        .format(option=option, text=text)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.timestamp()


def run_create(args: argparse.Namespace) -> int:
    from studio.core.markets import market

    code = market(args.market).code
    tz = market(code).tz
    start = parse_time(args.start, "--start", tz)
    end = parse_time(args.end, "--end", tz)
    with open_store(args, create=True) as store:
        session_id = store.create_session(
            market=code,
            title=args.title,
            platform=args.platform,
            account=args.account,
            mode=args.mode,
            replay_of=args.replay_of,
            started_at=start,
            ended_at=end,
            script_variant=args.script_variant,
        )
    print(session_id)
    return 0
