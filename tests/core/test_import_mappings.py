"""Platform exports through TOML column mappings: the shipped ones and a user's own."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from studio.core.importers import ImportFailed, format_names, import_file
from studio.core.importers.mapping import MappingError, mappings, user_mappings_dir

TIKTOK_COLUMNS = [
    "Order ID",
    "Order Status",
    "SKU ID",
    "Seller SKU",
    "Product Name",
    "Quantity",
    "Order Amount",
    "Created Time",
    "Paid Time",
    "Buyer Username",
    "Recipient",
    "Phone #",
]
TIKTOK_ROWS = [
    [
        "576100001",
        "To ship",
        "1729001",
        "HOODIE-BLK-M",
        "Hoodie",
        2,
        "$51.98",
        "11/25/2026 08:03:11 PM",
        "11/25/2026 08:04:02 PM",
        "jess_k",
        "Jess K",
        "(555) 010-7788",
    ],
    [
        "576100001",
        "To ship",
        "1729002",
        "CAP-RED",
        "Cap",
        1,
        "$51.98",
        "11/25/2026 08:03:11 PM",
        "11/25/2026 08:04:02 PM",
        "jess_k",
        "Jess K",
        "(555) 010-7788",
    ],
    [
        "576100002",
        "Unpaid",
        "1729001",
        "HOODIE-BLK-M",
        "Hoodie",
        1,
        "$25.99",
        "11/25/2026 08:10:45 PM",
        "",
        "mike.t",
        "Mike T",
        "(555) 010-1234",
    ],
]


def ny(*args: int) -> float:
    """A New York wall-clock time (November: UTC-5) as Unix seconds."""
    return datetime(*args, tzinfo=UTC).timestamp() + 5 * 3600


@pytest.fixture
def session(store):
    return store.create_session(market="US", title="Black Friday", platform="tiktok")


def write_xlsx(path: Path, header: list, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "OrderSKUList"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, header: list, rows: list[list], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_tiktok_xlsx_export_becomes_orders_and_payments(store, session, tmp_path):
    path = write_xlsx(tmp_path / "orders.xlsx", TIKTOK_COLUMNS, TIKTOK_ROWS)
    report = import_file(store, session, path)
    assert (report.format, report.encoding) == ("tiktok", "xlsx")
    assert (report.rows, report.added, report.duplicates) == (5, 4, 1)  # one payment per order
    assert report.assumed_tz == "America/New_York"
    orders = store.events(session, ["order"])
    assert [(e.order_id, e.sku, e.qty, e.viewer) for e in orders] == [
        ("576100001", "HOODIE-BLK-M", 2, "jess_k"),
        ("576100001", "CAP-RED", 1, "jess_k"),
        ("576100002", "HOODIE-BLK-M", 1, "mike.t"),
    ]
    assert orders[0].ts == ny(2026, 11, 25, 20, 3, 11)
    (payment,) = store.events(session, ["payment"])
    assert (payment.order_id, payment.amount, payment.currency) == (
        "576100001",
        Decimal("51.98"),
        "USD",
    )
    assert payment.ts == ny(2026, 11, 25, 20, 4, 2)


def test_an_export_s_personal_data_is_never_stored(store, session, tmp_path):
    path = write_xlsx(tmp_path / "orders.xlsx", TIKTOK_COLUMNS, TIKTOK_ROWS)
    import_file(store, session, path)
    dump = "\n".join(store.reader().conn.iterdump())
    assert "010-7788" not in dump and "Jess K" not in dump


def test_the_same_export_as_csv_or_again_adds_nothing(store, session, tmp_path):
    import_file(store, session, write_xlsx(tmp_path / "orders.xlsx", TIKTOK_COLUMNS, TIKTOK_ROWS))
    for encoding in ("utf-8-sig", "utf-16"):
        path = write_csv(tmp_path / f"orders-{encoding}.csv", TIKTOK_COLUMNS, TIKTOK_ROWS, encoding)
        assert import_file(store, session, path).added == 0
    # A later export: the unpaid order got paid, and a new order came in.
    later = [
        *TIKTOK_ROWS[:2],
        [*TIKTOK_ROWS[2][:8], "11/25/2026 08:30:00 PM", *TIKTOK_ROWS[2][9:]],
        [
            "576100003",
            "To ship",
            "1729002",
            "CAP-RED",
            "Cap",
            3,
            "$29.97",
            "11/25/2026 08:40:00 PM",
            "11/25/2026 08:40:30 PM",
            "li.na",
            "Li Na",
            "-",
        ],
    ]
    report = import_file(store, session, write_xlsx(tmp_path / "later.xlsx", TIKTOK_COLUMNS, later))
    assert report.added == 3  # the late payment, the new order and its payment
    assert store.event_count(session) == 7


def test_spreadsheet_date_cells_are_read_whatever_the_text_format(store, session, tmp_path):
    rows = [
        [
            *TIKTOK_ROWS[0][:7],
            datetime(2026, 11, 25, 20, 3, 11),
            datetime(2026, 11, 25, 20, 4, 2),
            *TIKTOK_ROWS[0][9:],
        ]
    ]
    import_file(store, session, write_xlsx(tmp_path / "orders.xlsx", TIKTOK_COLUMNS, rows))
    assert [e.ts for e in store.events(session)] == [
        ny(2026, 11, 25, 20, 3, 11),
        ny(2026, 11, 25, 20, 4, 2),
    ]


def test_a_formula_cell_in_a_tiktok_xlsx_is_refused_without_a_half_import(store, session, tmp_path):
    rows = [
        TIKTOK_ROWS[0],
        [*TIKTOK_ROWS[1][:9], '=HYPERLINK("http://x","jess_k")', *TIKTOK_ROWS[1][10:]],
    ]
    path = write_xlsx(tmp_path / "orders.xlsx", TIKTOK_COLUMNS, rows)
    with pytest.raises(ImportFailed) as info:
        import_file(store, session, path)
    assert str(info.value).startswith("orders.xlsx:3: ")
    assert store.event_count(session) == 0


def test_a_forced_format_missing_columns_names_them(store, session, tmp_path):
    path = write_csv(tmp_path / "orders.csv", ["Order ID", "Buyer Username"], [["1", "a"]])
    with pytest.raises(ImportFailed) as info:
        import_file(store, session, path, fmt="tiktok")
    message = str(info.value)
    assert message.startswith("orders.csv:1: the TikTok Shop order export layout needs")
    assert "Created Time" in message and "Seller SKU" in message


def test_a_bad_time_in_an_export_names_the_line_and_the_format(store, session, tmp_path):
    rows = [[*TIKTOK_ROWS[0][:7], "2026-11-25 20:03", *TIKTOK_ROWS[0][8:]]]
    path = write_csv(tmp_path / "orders.csv", TIKTOK_COLUMNS, rows)
    with pytest.raises(ImportFailed) as info:
        import_file(store, session, path)
    assert "orders.csv:2: " in str(info.value)
    assert "does not match the time format %m/%d/%Y %I:%M:%S %p" in str(info.value)


def test_a_bad_value_in_an_export_names_the_export_column(store, session, tmp_path):
    rows = [[*TIKTOK_ROWS[0][:7], "2026-11-25 20:03", *TIKTOK_ROWS[0][8:]]]
    path = write_csv(tmp_path / "orders.csv", TIKTOK_COLUMNS, rows)
    with pytest.raises(ImportFailed) as info:
        import_file(store, session, path)
    assert str(info.value).startswith('orders.csv:2: Created Time "2026-11-25 20:03"')


# TikTok Shop's real order export: every column of the Seller Center file (so the layout test
# sees what a seller's file holds), a second line that describes each column, and values that
# end in a tab (TikTok's way of keeping Excel from turning ids into numbers and times into
# dates). The hour of a time is not zero-padded.
TIKTOK_EXPORT_COLUMNS = [
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee", "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount", "Payment platform discount", "Taxes", "Order Amount",
    "Order Refund Amount", "Created Time", "Paid Time", "RTS Time", "Shipped Time",
    "Delivered Time", "Cancelled Time", "Cancel By", "Cancel Reason", "Fulfillment Type",
    "Warehouse Name", "Tracking ID", "Delivery Option", "Shipping Provider Name",
    "Buyer Message", "Buyer Username", "Recipient", "Phone #", "Zipcode", "Country", "State",
    "County", "City", "Detail Address", "Additional address information", "Payment Method",
    "Weight(kg)", "Product Category", "Package ID", "Seller Note", "Checked Status",
    "Checked Marked by",
]
TIKTOK_DESCRIPTIONS = {
    "Order ID": "Platform unique order ID.", "Order Status": "Current order status.",
    "SKU ID": "Platform SKU ID.", "Seller SKU": "Seller SKU input by seller in product system.",
    "Quantity": "SKU sold quantity in the order.", "Order Amount": "Order amount.",
    "Created Time": "Order created time.", "Paid Time": "Order paid time.",
    "Buyer Username": "Buyer username.", "Tracking ID": "The order's tracking number.",
}
TIKTOK_SKIP = 'skip = { column = "Order ID", in = ["Platform unique order ID."] }\n'


def tiktok_export_rows() -> list[list[str]]:
    def row(**values: str) -> list[str]:
        named = {"Order ID": "", **values}
        return [named.get(c, "") for c in TIKTOK_EXPORT_COLUMNS]

    return [
        [TIKTOK_DESCRIPTIONS.get(c, c) for c in TIKTOK_EXPORT_COLUMNS],
        row(**{"Order ID": "576100001\t", "Order Status": "To ship", "SKU ID": "1729001\t",
               "Seller SKU": "HOODIE-BLK-M", "Quantity": "2", "Order Amount": "$51.98",
               "Created Time": "11/25/2026 8:03:11 PM\t", "Paid Time": "11/25/2026 8:04:02 PM\t",
               "Buyer Username": "jess_k", "Recipient": "J*** K", "Phone #": "(+1)555*****88"}),
        row(**{"Order ID": "576100002\t", "Order Status": "Unpaid", "SKU ID": "1729001\t",
               "Seller SKU": "HOODIE-BLK-M", "Quantity": "1", "Order Amount": "$25.99",
               "Created Time": "11/25/2026 8:10:45 PM\t", "Buyer Username": "mike.t"}),
    ]


@pytest.fixture
def tiktok_without_skip(tmp_path) -> Path:
    """A user copy of the shipped mapping without its skip line (same name: it wins)."""
    folder = tmp_path / "maps"
    folder.mkdir()
    shipped = mappings()["tiktok"].source.read_text(encoding="utf-8")
    assert TIKTOK_SKIP in shipped
    (folder / "tiktok.toml").write_text(shipped.replace(TIKTOK_SKIP, ""), encoding="utf-8")
    return folder


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_real_tiktok_export_with_its_description_line(store, session, tmp_path, suffix,
                                                        tiktok_without_skip):
    rows = tiktok_export_rows()
    path = (write_xlsx if suffix == ".xlsx" else write_csv)(
        tmp_path / f"orders{suffix}", TIKTOK_EXPORT_COLUMNS, rows)
    report = import_file(store, session, path)
    assert (report.format, report.rows, report.added, report.skipped_rows) == ("tiktok", 3, 3, 1)
    assert any("1 row skipped" in w for w in map(str, report.warnings))
    orders = store.events(session, ["order"])
    assert [(e.id, e.order_id, e.qty, e.ts) for e in orders] == [
        ("tiktok-order:576100001:1729001", "576100001", 2, ny(2026, 11, 25, 20, 3, 11)),
        ("tiktok-order:576100002:1729001", "576100002", 1, ny(2026, 11, 25, 20, 10, 45)),
    ]
    (payment,) = store.events(session, ["payment"])
    assert (payment.amount, payment.ts) == (Decimal("51.98"), ny(2026, 11, 25, 20, 4, 2))
    # Without the skip condition the description line is a bad row: nothing is imported.
    with pytest.raises(ImportFailed, match=r'orders\.\w+:2: Created Time "Order created time\."'):
        import_file(store, session, path, mapping_dirs=[tiktok_without_skip])
    assert store.event_count(session) == 3


@pytest.mark.parametrize(("skip", "expected"), [
    ('skip = { column = "Order ID" }', "needs in = [...] or present = true"),  # would skip all
    ('skip = "Order ID"', "a condition is a table"),
    ('skip = { in = ["x"] }', "the key 'column' is missing"),
])
def test_a_skip_condition_that_cannot_be_right_is_refused(tmp_path, skip, expected):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "x.toml").write_text(
        f'name = "x"\ndetect = ["a"]\n{skip}\n[[events]]\nkind = "join"\n'
        '[events.columns]\nts = "a"\nviewer = "a"\n')
    with pytest.raises(MappingError, match=re.escape(expected)):
        mappings([folder])


SHOPEE_COLUMNS = [
    "Order ID",
    "Order Status",
    "Order Creation Date",
    "Order Paid Time",
    "Username (Buyer)",
    "SKU Reference No.",
    "Quantity",
    "Grand Total",
    "Receiver Name",
]


def test_shopee_export_with_dotted_column_names(store, tmp_path):
    sid = store.create_session(market="SG", title="Shopee Live 11.11")
    rows = [
        [
            "2611250001ABC",
            "Completed",
            "2026-11-25 20:03",
            "2026-11-25 20:04",
            "tan_88",
            "SKU-7",
            "1",
            "$1,234.50",
            "Tan",
        ],
        ["2611250002ABC", "Unpaid", "2026-11-25 20:05", "", "lee.w", "SKU-8", "2", "$12.00", "Lee"],
    ]
    path = write_csv(tmp_path / "Order.all.20261125.csv", SHOPEE_COLUMNS, rows)
    report = import_file(store, sid, path)
    assert (report.format, report.added) == ("shopee", 3)
    assert [e.id for e in store.events(sid, ["order"])] == [
        "shopee-order:2611250001ABC:SKU-7",
        "shopee-order:2611250002ABC:SKU-8",
    ]
    (payment,) = store.events(sid, ["payment"])
    assert (payment.amount, payment.currency) == (Decimal("1234.50"), "SGD")


def test_an_indonesian_shopee_amount_uses_dots_for_thousands(store, tmp_path):
    sid = store.create_session(market="ID", title="Harbolnas")
    rows = [
        [
            "2611250001",
            "Completed",
            "2026-11-25 20:03",
            "2026-11-25 20:04",
            "budi88",
            "SKU-7",
            "1",
            "Rp150.000",
            "Budi",
        ]
    ]
    import_file(store, sid, write_csv(tmp_path / "order.csv", SHOPEE_COLUMNS, rows))
    assert store.events(sid, ["payment"])[0].amount == Decimal(150000)


def test_lazada_export_pays_only_items_in_a_paid_status(store, tmp_path):
    sid = store.create_session(market="MY", title="LazLive")
    header = [
        "orderItemId",
        "orderNumber",
        "status",
        "createTime",
        "customerName",
        "sellerSku",
        "paidPrice",
        "currency",
        "shippingAddress",
    ]
    rows = [
        [
            "9001",
            "300100",
            "pending",
            "25 Nov 2026 20:03",
            "aiman",
            "SKU-1",
            "1,059.00",
            "MYR",
            "Jalan 1",
        ],
        [
            "9002",
            "300101",
            "canceled",
            "25 Nov 2026 20:05",
            "mei",
            "SKU-2",
            "19.90",
            "MYR",
            "Jalan 2",
        ],
    ]
    path = write_xlsx(tmp_path / "lazada.xlsx", header, rows)
    report = import_file(store, sid, path)
    assert (report.format, report.added) == ("lazada", 3)
    (payment,) = store.events(sid, ["payment"])
    assert (payment.order_id, payment.amount, payment.currency) == (
        "300100",
        Decimal("1059.00"),
        "MYR",
    )


def test_the_shipped_mappings_load_and_are_offered_as_formats():
    shipped = mappings()
    assert {"tiktok", "shopee", "lazada"} <= set(shipped)
    assert format_names()[:2] == ["auto", "generic"]
    for mapping in shipped.values():
        assert mapping.detect and mapping.events
        assert set(mapping.detect) <= mapping.required_columns()


# -- user mappings ----------------------------------------------------------------------------

USER_MAPPING = """\
# Comments exported by a chat relay: one row per message.
name = "relay"
title = "Chat relay log"
detect = ["Message Time", "Nick", "Message"]
time_format = "%Y/%m/%d %H:%M:%S"

[[events]]
kind = "comment"
[events.columns]
ts = "Message Time"
viewer = "Nick"
text = "Message"
[events.values]
id = "relay:{Msg #}"
"""
RELAY_HEADER = ["Msg #", "Message Time", "Nick", "Message"]
RELAY_ROWS = [
    ["1", "2026/11/25 20:00:01", "小美", "多少钱？"],
    ["2", "2026/11/25 20:00:02", "ahmad", "Harga berapa?"],
]


def test_a_user_mapping_in_a_folder_passed_as_mapping_dir(store, session, tmp_path):
    folder = tmp_path / "my-mappings"
    folder.mkdir()
    (folder / "relay.toml").write_text(USER_MAPPING, encoding="utf-8")
    path = write_csv(tmp_path / "chat.csv", RELAY_HEADER, RELAY_ROWS, "gb18030")
    report = import_file(store, session, path, mapping_dirs=[folder])
    assert (report.format, report.added) == ("relay", 2)
    assert [(e.viewer, e.text, e.id) for e in store.events(session)] == [
        ("小美", "多少钱？", "relay:1"),
        ("ahmad", "Harga berapa?", "relay:2"),
    ]
    assert "relay" in format_names([folder])


def test_a_user_mapping_in_the_user_mappings_folder(store, session, tmp_path):
    folder = user_mappings_dir()  # inside the test's temporary home (tests/conftest.py)
    folder.mkdir(parents=True)
    (folder / "relay.toml").write_text(USER_MAPPING, encoding="utf-8")
    path = write_csv(tmp_path / "chat.csv", RELAY_HEADER, RELAY_ROWS)
    assert import_file(store, session, path, fmt="relay").added == 2


def test_a_user_mapping_with_a_shipped_name_replaces_it(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "mine.toml").write_text(USER_MAPPING.replace('"relay"', '"tiktok"', 1))
    assert mappings([folder])["tiktok"].title == "Chat relay log"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name = "x"\ndetect = [', "not a readable mapping"),
        ('name = "x"\n[[events]]\nkind = "join"\n', "the key 'detect' is missing"),
        ('name = "x"\ndetect = "Nick"\n[[events]]\nkind = "join"\n', "detect must be a list"),
        ('name = "x"\ndetect = ["a"]\nevents = 3\n', "wrong type"),
        ('name = "x"\ndetect = ["a"]\n[[events]]\nkind = "purchase"\n', 'unknown kind "purchase"'),
        (
            'name = "x"\ndetect = ["a"]\n[[events]]\nkind = "join"\n[events.columns]\nwho = "a"\n',
            'an unknown field "who"',
        ),
    ],
)
def test_a_broken_user_mapping_is_reported_not_a_crash(store, session, tmp_path, text, expected):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "broken.toml").write_text(text)
    with pytest.raises(MappingError, match=r"broken\.toml"):
        mappings([folder])
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer\n1795636800,join,a\n")
    with pytest.raises(ImportFailed) as info:
        import_file(store, session, path, mapping_dirs=[folder])
    assert expected in str(info.value)
    assert store.event_count(session) == 0


def test_a_template_with_a_stray_brace_is_kept_literally(store, session, tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "relay.toml").write_text(USER_MAPPING.replace("relay:{Msg #}", "relay:{Msg #"))
    path = write_csv(tmp_path / "chat.csv", RELAY_HEADER, RELAY_ROWS[:1])
    import_file(store, session, path, mapping_dirs=[folder])
    assert store.events(session)[0].id == "relay:{Msg #"


def test_the_documented_example_mapping_works(store, tmp_path):
    """docs/importing.md's complete example, run as written."""
    doc = (Path(__file__).parents[2] / "docs" / "importing.md").read_text(encoding="utf-8")
    example = doc[doc.index("### A complete example") :]
    export = re.search(r"```csv\n(.*?)```", example, re.S).group(1)
    mapping = re.search(r"```toml\n(.*?)```", example, re.S).group(1)
    user_mappings_dir().mkdir(parents=True)
    (user_mappings_dir() / "relay.toml").write_text(mapping, encoding="utf-8")
    path = tmp_path / "relay-2026-11-25.csv"
    path.write_text(export, encoding="utf-8")
    sid = store.create_session(market="ID", title="Harbolnas warm-up")
    report = import_file(store, sid, path)
    assert (report.format, report.rows, report.added) == ("relay", 3, 3)
    assert [(e.kind, e.viewer, e.text) for e in store.events(sid)] == [
        ("join", "u_8812", None),
        ("comment", "u_8812", "这件有M码吗？"),
        ("comment", "u_3001", "Ada warna hitam?"),
    ]
    assert import_file(store, sid, path).added == 0


def test_an_empty_detect_list_is_refused(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "greedy.toml").write_text(
        'name = "greedy"\ndetect = []\n[[events]]\nkind = "join"\n[events.columns]\nts = "t"\n'
    )
    with pytest.raises(MappingError, match="at least one column"):
        mappings([folder])


def test_the_most_specific_layout_wins_and_a_tie_asks_for_format(store, session, tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    body = '[[events]]\nkind = "join"\n[events.columns]\nts = "When"\nviewer = "Who"\n'
    (folder / "a.toml").write_text('name = "a"\ndetect = ["When"]\n' + body)
    (folder / "b.toml").write_text('name = "b"\ndetect = ["When", "Who"]\n' + body)
    path = write_csv(tmp_path / "joins.csv", ["When", "Who"], [["2026-11-25T20:00:00Z", "v1"]])
    assert import_file(store, session, path, mapping_dirs=[folder]).format == "b"
    (folder / "c.toml").write_text('name = "c"\ndetect = ["Who", "When"]\n' + body)
    with pytest.raises(ImportFailed, match="several export layouts"):
        import_file(store, session, path, mapping_dirs=[folder])
