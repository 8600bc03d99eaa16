"""`studio demo`: write one realistic simulated show as a new session and print its id."""

from __future__ import annotations

import argparse

from studio.commands._common import UserError, add_db_option, open_store
from studio.i18n import _
from studio.i18n.render import render_error


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="write a simulated show as a new session, print its id")
    add_db_option(parser)
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same show")
    parser.add_argument("--viewers", type=int, default=2000, help="distinct viewers (default 2000)")
    parser.add_argument("--minutes", type=float, default=60, help="length of the show")
    parser.add_argument("--market", default="US", help="market code, e.g. US, ID, DE")
    parser.add_argument("--account", default="demo",
                        help="the shop account: shows of one account share returning viewers")
    parser.add_argument("--replay", action="store_true",
                        help="also write a replay of the show (its id printed on a second line)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from studio.core.simulate import (
        PlanError,
        ShowPlan,
        SimulationConfigError,
        write_replay,
        write_show,
    )

    try:
        plan = ShowPlan(
            market=args.market, viewers=args.viewers, minutes=args.minutes, seed=args.seed
        )
    except (PlanError, SimulationConfigError) as exc:
        raise UserError(_("demo: {problem}").format(problem=render_error(exc))) from None
    with open_store(args, create=True) as store:
        session_id = write_show(store, plan, account=args.account)
        print(session_id, flush=True)
        if args.replay:
            print(write_replay(store, session_id, plan))
    return 0
