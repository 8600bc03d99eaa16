"""`studio script`: render a script for a market, and the stored scripts' versions (import,
export, list, versions, diff, restore). docs/scripts.md says what a script is."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from studio.commands._common import UserError, add_db_option, columns, open_store, print_json
from studio.core.platforms import PLATFORM_NAMES
from studio.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("script", help="render, store and compare show scripts")
    verbs = parser.add_subparsers(dest="script_command", metavar="VERB", required=True)

    render = verbs.add_parser("render", help="print a script file as said in a market")
    render.add_argument("file", metavar="FILE", help="the script, UTF-8 text with ## headings")
    render.add_argument("--market", required=True, help="market code, e.g. US, ID, DE")
    render.add_argument("--products", metavar="CSV",
                        help="product catalog: sku,name,price,currency (+ name_XX, price_XX)")
    render.add_argument("--variant", metavar="V",
                        help="the A/B variant to render (default: the first)")
    render.add_argument("--now", metavar="ISO",
                        help="count countdowns from this ISO 8601 moment (default: now; no "
                        "offset: the market's zone)")
    render.set_defaults(func=run_render)

    store = verbs.add_parser("import", help="store a script file as the next version")
    add_db_option(store)
    store.add_argument("file", metavar="FILE")
    store.add_argument("--market", required=True, help="market code, e.g. US, ID, DE")
    store.add_argument("--platform", default="", choices=PLATFORM_NAMES, metavar="P",
                       help=f"the platform: {', '.join(PLATFORM_NAMES)}")
    store.add_argument("--products", metavar="CSV",
                       help="the product catalog: every placeholder must render with it")
    store.add_argument("--name", help="the script's name (default: the file's name)")
    store.set_defaults(func=run_import)

    export = verbs.add_parser("export", help="write a stored script as UTF-8 text")
    add_db_option(export)
    export.add_argument("name", metavar="NAME")
    export.add_argument("--version", type=int, help="the version (default: the newest)")
    export.add_argument("--out", metavar="FILE", help="the file to write (default: stdout)")
    export.set_defaults(func=run_export)

    listing = verbs.add_parser("list", help="list the stored scripts")
    add_db_option(listing)
    listing.add_argument("--market", help="only this market's scripts")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)

    versions = verbs.add_parser("versions", help="list a stored script's versions")
    add_db_option(versions)
    versions.add_argument("name", metavar="NAME")
    versions.add_argument("--json", action="store_true")
    versions.set_defaults(func=run_versions)

    diff = verbs.add_parser("diff", help="compare two versions of a stored script")
    add_db_option(diff)
    diff.add_argument("name", metavar="NAME")
    diff.add_argument("old", type=int, nargs="?", metavar="FROM",
                      help="the older version (default: the one before TO)")
    diff.add_argument("new", type=int, nargs="?", metavar="TO",
                      help="the newer version (default: the newest)")
    diff.set_defaults(func=run_diff)

    restore = verbs.add_parser("restore", help="make an earlier version the newest again")
    add_db_option(restore)
    restore.add_argument("name", metavar="NAME")
    restore.add_argument("version", type=int, metavar="VERSION")
    restore.set_defaults(func=run_restore)


def script_verbs(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The `script` verb's own verbs, for a module that adds one (`check`, in
    script_check.py): cli.py registers the modules in the order of their names, so `script`
    is there before `script_*`."""
    parser = sub.choices["script"]
    return next(action for action in parser._actions
                if isinstance(action, argparse._SubParsersAction))


def _read(path: str, reader):
    """A file read by `reader`; one that cannot be read at all is one line naming it."""
    try:
        return reader(Path(path))
    except OSError as exc:  # missing, a folder, no permission
        raise UserError(_("{path} cannot be read ({reason})")
                        .format(path=path, reason=exc.strerror or str(exc))) from None


def _catalog(path: str | None):
    from studio.core.scripts.catalog import read_catalog

    return _read(path, read_catalog) if path else None


def run_render(args: argparse.Namespace) -> int:
    from studio.commands.session import parse_time
    from studio.core.markets import market
    from studio.core.scripts.render import render_script
    from studio.core.scripts.text import read_script_file, script_text

    where = market(args.market)
    script = _read(args.file, read_script_file)
    catalog = _catalog(args.products)
    now = parse_time(args.now, "--now", where.tz)
    rendered = render_script(script, args.file, where, catalog, variant=args.variant,
                             now=datetime.fromtimestamp(now, UTC) if now is not None else None)
    sys.stdout.write(script_text(rendered))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from studio.core.markets import market
    from studio.core.scripts.render import placeholders, render_script
    from studio.core.scripts.text import parse_script, read_script_text

    where = market(args.market)
    name = args.name or Path(args.file).stem
    with open_store(args) as store:
        text = _read(args.file, read_script_text)
        script = parse_script(text, args.file)
        placeholders(script, args.file)
        catalog = _catalog(args.products)
        if catalog is not None:  # every variant must render before anything is stored
            for variant in script.variants or (None,):
                render_script(script, args.file, where, catalog, variant=variant)
        version, new = store.save_script(
            name, text, market=where.code, platform=args.platform,
            products=Path(args.products).name if args.products else "", source=args.file)
    if new:
        print(_('stored "{name}" version {version}').format(name=name, version=version.number))
    else:
        print(_('"{name}" is unchanged: version {version} has this text')
              .format(name=name, version=version.number))
    return 0


def run_export(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        text = store.script_version(args.name, args.version).text
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(_("{path} cannot be written ({reason})")
                        .format(path=args.out, reason=exc.strerror or str(exc))) from None
    return 0


def run_list(args: argparse.Namespace) -> int:
    from studio.core.markets import market

    code = market(args.market).code if args.market else None
    with open_store(args) as store:
        scripts = store.scripts(market=code)
    if args.json:
        print_json({"scripts": [asdict(s) for s in scripts]})
        return 0
    if not scripts:
        print(_("no scripts yet (studio script import FILE --market CODE stores one)"))
        return 0
    rows = [(_("name"), _("market"), _("platform"), _("products"), _("versions"))]
    rows += [(s.name, s.market, s.platform or "-", s.products or "-", str(s.latest))
             for s in scripts]
    for line in columns(rows, indent=""):
        print(line)
    return 0


def run_versions(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        versions = store.script_versions(args.name)
    if args.json:
        print_json({"versions": [{k: v for k, v in asdict(version).items() if k != "text"}
                                 for version in versions]})
        return 0
    rows = [(_("version"), _("saved (UTC)"), _("lines"), _("from"))]
    rows += [(str(v.number), _utc(v.created_at), str(len(v.text.splitlines())), _origin(v))
             for v in versions]
    for line in columns(rows, indent=""):
        print(line)
    return 0


def _utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M")


def _origin(version) -> str:
    if version.restored_from is not None:
        return _("restored from version {version}").format(version=version.restored_from)
    return version.source or "-"


def run_diff(args: argparse.Namespace) -> int:
    from studio.core.scripts.diff import script_diff

    with open_store(args) as store:
        new = store.script_version(args.name, args.new)
        old_number = args.old if args.old is not None else new.number - 1
        if old_number < 1:
            raise UserError(_('"{name}" has only version {version}: nothing to compare')
                            .format(name=args.name, version=new.number))
        old = store.script_version(args.name, old_number)
    sys.stdout.writelines(script_diff(old.text, new.text, f"{args.name} v{old.number}",
                                      f"{args.name} v{new.number}"))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        version, new = store.restore_script(args.name, args.version)
    if new:
        print(_('restored version {old} of "{name}" as version {version}')
              .format(old=args.version, name=args.name, version=version.number))
    else:
        print(_('"{name}" is unchanged: version {version} has this text')
              .format(name=args.name, version=version.number))
    return 0
