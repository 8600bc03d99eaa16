"""The installation token: made once, private to the user, the same for every process."""

from __future__ import annotations

import stat
import subprocess
import sys

import pytest

from studio.ingest.token import (
    MIN_TOKEN_CHARS,
    TokenError,
    check_token,
    installation_token,
    new_installation_token,
    token_path,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def test_the_token_is_made_once_in_the_user_config_folder(tmp_path):
    path = token_path()
    assert "xdg_config_home" in str(path)  # tests/conftest.py isolates the user folders
    assert not path.exists()
    first = installation_token()
    assert path.read_text().strip() == first
    assert installation_token() == first
    assert len(first) >= 40 and check_token(first) == first


@posix_only
def test_only_the_owner_can_read_it():
    installation_token()
    assert stat.S_IMODE(token_path().stat().st_mode) == 0o600


@posix_only
def test_a_readable_copy_is_made_private_again():
    token = installation_token()
    token_path().chmod(0o644)
    assert installation_token() == token
    assert stat.S_IMODE(token_path().stat().st_mode) == 0o600


def test_a_damaged_token_file_is_replaced_by_a_new_token():
    path = token_path()
    path.parent.mkdir(parents=True)
    path.write_text("short\n")
    token = installation_token()
    assert token != "short" and path.read_text().strip() == token


def test_a_new_token_replaces_the_old_one():
    old = installation_token()
    new = new_installation_token()
    assert new != old and installation_token() == new
    assert not [p for p in token_path().parent.iterdir() if p.name.startswith(".")]


def test_processes_starting_together_agree_on_one_token():
    code = "from studio.ingest.token import installation_token; print(installation_token())"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    tokens = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert tokens == {installation_token()}


@pytest.mark.parametrize("bad", ["", "x" * (MIN_TOKEN_CHARS - 1), "with space" * 3, "令牌" * 10])
def test_unusable_tokens_are_refused(bad):
    with pytest.raises(TokenError):
        check_token(bad)
