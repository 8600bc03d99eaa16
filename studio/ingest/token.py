"""The ingest endpoint's bearer token: made once per installation, kept private to the user.

The token lives in the user config folder (platformdirs), in a file only its owner may read
(mode 0600). It is written to a temporary file first and linked into place, so two processes
starting at once (the app and `studio serve`) agree on one token and neither ever reads a
half-written file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path

import platformdirs

from studio.core.identity import APP_ID
from studio.core.message import N_, message

TOKEN_FILE = "ingest-token"
TOKEN_BYTES = 32  # 256 random bits; token_urlsafe makes 43 characters of them
MIN_TOKEN_CHARS = 16


class TokenError(ValueError):
    """A token that cannot be used (empty, too short, or not printable ASCII)."""


def token_path() -> Path:
    return platformdirs.user_config_path(APP_ID, appauthor=False) / TOKEN_FILE


def check_token(token: str) -> str:
    """`token` if it can go into an Authorization header unchanged; raises TokenError."""
    if len(token) < MIN_TOKEN_CHARS:
        raise TokenError(message(N_("a token needs at least {n} characters"), n=MIN_TOKEN_CHARS))
    if not token.isascii() or not token.isprintable() or " " in token:
        raise TokenError(message(N_("a token is printable ASCII without spaces")))
    return token


def installation_token(path: Path | None = None) -> str:
    """This installation's token, made (randomly) the first time it is asked for."""
    path = path or token_path()
    for _ in range(3):
        existing = _read(path)
        if existing is not None:
            return existing
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if _publish(path, token, replace=False):
            return token
    raise OSError(f"{path}: cannot create the ingest token")


def new_installation_token(path: Path | None = None) -> str:
    """Replace the token (e.g. after it leaked); clients need the new one from then on."""
    path = path or token_path()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    _publish(path, token, replace=True)
    return token


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (UnicodeDecodeError, OSError):
        text = ""
    try:
        token = check_token(text)
    except TokenError:
        # Damaged or emptied by hand: make a new one rather than run without protection.
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    if sys.platform != "win32" and path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a copy or a restore made it readable by others
    return token


def _publish(path: Path, token: str, *, replace: bool) -> bool:
    """Write `token` at `path` atomically; False if another process got there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(token + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(temp, path)
            return True
        try:
            os.link(temp, path)  # fails if the file exists: the first writer wins
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: exclusive create instead
            return _create_exclusive(path, token)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _create_exclusive(path: Path, token: str) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token + "\n")
    return True
