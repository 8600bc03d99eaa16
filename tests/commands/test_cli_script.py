"""`studio script`: render, import, export, list, versions, diff and restore, as a producer
types them; bad input is one line on stderr with exit code 1 and nothing stored."""

from __future__ import annotations

import json

import pytest
from babel.numbers import format_currency

from studio.cli import main
from studio.core.markets import market

SCRIPT = """\
# Adventsshow
## Eröffnung (2 min)
Hallo! {shipping}.
## Produkt [A] (4 min)
{product:MUG-1} für nur {price:MUG-1}.
## Produkt [B] (4 min)
Heute {product:MUG-1}: {price:MUG-1}, Countdown {countdown:2026-11-25T20:30}.
"""
CATALOG = "sku,name,price,currency,name_DE,price_DE\nMUG-1,Advent mug,19.99,USD,Becher,17.50\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "advent.txt").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "products.csv").write_text(CATALOG, encoding="utf-8")
    return tmp_path


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "studio.db"
    assert main(["session", "create", "--db", str(path), "--market", "DE", "--title", "t"]) == 0
    return path


def test_render_prints_the_variant_in_the_markets_conventions(files, capsys):
    argv = ["script", "render", str(files / "advent.txt"), "--market", "de",
            "--products", str(files / "products.csv")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    euros = format_currency(17.50, "EUR", locale="de_DE")
    assert f"Becher für nur {euros}." in out and f"Hallo! {market('DE').shipping}." in out
    assert "## Produkt [A] (4 min)" in out and "[B]" not in out
    assert main([*argv, "--variant", "B", "--now", "2026-11-25T20:00"]) == 0
    out = capsys.readouterr().out
    assert "Countdown 30 Minuten." in out and "[A]" not in out


@pytest.mark.parametrize("content, expected", [
    (b"## A\n{price:NOPE}\n", "advent.txt:2:1: SKU NOPE is not in the catalog"),
    (b"## A\nBuy {price:MUG-1 now\n", 'advent.txt:2:5: an unclosed "{"'),
    ("## 开场\n欢迎\n".encode("gb18030"), "advent.txt:1:4: byte 0x"),
    ("## A\nhi\n".encode("utf-16"), "advent.txt:1:1: the file is UTF-16"),
    (b"", "advent.txt:1:1: the file is empty"),
])
def test_bad_scripts_are_one_line_and_exit_1(files, capsys, content, expected):
    (files / "advent.txt").write_bytes(content)
    assert main(["script", "render", str(files / "advent.txt"), "--market", "DE",
                 "--products", str(files / "products.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"studio: {files / 'advent.txt'}:") and expected in err
    assert err.count("\n") == 1


def test_a_catalog_in_another_currency_is_named_by_its_cell(files, capsys):
    assert main(["script", "render", str(files / "advent.txt"), "--market", "FR",
                 "--products", str(files / "products.csv")]) == 1
    assert "products.csv:2:18: the price of MUG-1 is in USD; market FR sells in EUR" in (
        capsys.readouterr().err)


def test_import_versions_diff_restore_and_export(files, db, capsys, tmp_path):
    script = str(files / "advent.txt")
    base = ["--db", str(db)]
    importing = ["script", "import", script, "--market", "DE", "--platform", "tiktok",
                 "--products", str(files / "products.csv"), *base]
    assert main(importing) == 0
    assert 'stored "advent" version 1' in capsys.readouterr().out
    assert main(importing) == 0
    assert "unchanged" in capsys.readouterr().out
    (files / "advent.txt").write_text(SCRIPT.replace("Hallo!", "Guten Abend!"), "utf-8")
    assert main(importing) == 0
    assert 'stored "advent" version 2' in capsys.readouterr().out

    assert main(["script", "diff", "advent", *base]) == 0
    diff = capsys.readouterr().out
    assert "-Hallo! {shipping}.\n+Guten Abend! {shipping}.\n" in diff

    assert main(["script", "restore", "advent", "1", *base]) == 0
    assert 'restored version 1 of "advent" as version 3' in capsys.readouterr().out
    assert main(["script", "export", "advent", *base]) == 0
    assert capsys.readouterr().out == SCRIPT
    assert main(["script", "export", "advent", "--version", "2", "--out",
                 str(tmp_path / "v2.txt"), *base]) == 0
    assert "Guten Abend!" in (tmp_path / "v2.txt").read_text("utf-8")

    assert main(["script", "versions", "advent", "--json", *base]) == 0
    versions = json.loads(capsys.readouterr().out)["versions"]
    assert [(v["number"], v["restored_from"]) for v in versions] == [(1, None), (2, None),
                                                                    (3, 1)]
    assert main(["script", "list", "--json", *base]) == 0
    listed = json.loads(capsys.readouterr().out)["scripts"]
    assert [(s["name"], s["market"], s["platform"], s["products"], s["latest"])
            for s in listed] == [("advent", "DE", "tiktok", "products.csv", 3)]
    assert main(["script", "list", *base]) == 0
    assert "advent" in capsys.readouterr().out


def test_a_script_that_does_not_render_is_not_stored(files, db, capsys):
    (files / "advent.txt").write_text("## A\n{price:NOPE}\n", "utf-8")
    assert main(["script", "import", str(files / "advent.txt"), "--market", "DE",
                 "--products", str(files / "products.csv"), "--db", str(db)]) == 1
    assert "SKU NOPE is not in the catalog" in capsys.readouterr().err
    assert main(["script", "list", "--db", str(db)]) == 0
    assert "no scripts yet" in capsys.readouterr().out


@pytest.mark.parametrize("argv, expected", [
    (["script", "export", "nope"], 'no script is called "nope"'),
    (["script", "diff", "advent", "1", "9"], "has no version 9 (versions 1 to 1)"),
    (["script", "diff", "advent"], "has only version 1: nothing to compare"),
    (["script", "restore", "advent", "4"], "has no version 4"),
])
def test_unknown_names_and_versions_are_one_line(files, db, capsys, argv, expected):
    assert main(["script", "import", str(files / "advent.txt"), "--market", "DE",
                 "--db", str(db)]) == 0
    capsys.readouterr()
    assert main([*argv, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_chinese_users_read_the_errors_in_chinese(files, capsys):
    (files / "advent.txt").write_text("## A\n{prize:X}\n", "utf-8")
    assert main(["--lang", "zh_CN", "script", "render", str(files / "advent.txt"),
                 "--market", "DE"]) == 1
    assert "未知占位符“{prize:X}”" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["missing.txt", "."])
def test_a_file_that_cannot_be_read_is_one_line(tmp_path, capsys, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    assert main(["script", "render", name, "--market", "US"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"studio: {name} cannot be read (") and err.count("\n") == 1


def test_a_module_can_add_a_script_verb():
    import argparse

    from studio.commands.script import register, script_verbs

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    register(sub)
    script_verbs(sub).add_parser("extra").set_defaults(func="added")
    assert parser.parse_args(["script", "extra"]).func == "added"
