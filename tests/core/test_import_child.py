"""The importer's parsing child process: what it yields arrives; when it dies, nothing hangs."""

from __future__ import annotations

import os
import threading
import time

import pytest

from studio.core.importers import ImportFailed, import_file
from studio.core.importers import run as import_run
from studio.core.importers.child import ChildFailed, iterate_in_child

# The factories run in a spawned child, which imports this module by name to find them.


def counting(n: int):
    yield from range(n)


def raising():
    yield "first"
    raise ValueError("row 7 is wrong")


def dying_in_the_middle_of_a_batch():
    """One small item, then a batch far bigger than a pipe holds: the child is killed while
    the parent has read only part of it (the parent is not reading for a moment)."""
    yield "first"
    threading.Timer(0.3, os._exit, args=(9,)).start()
    yield b"x" * (4 << 20)


def dying_between_batches():
    yield "first"
    os._exit(3)


def consume(items, timeout: float = 30.0):
    """Iterate in a thread: a hang fails the test instead of the whole suite."""
    got, errors = [], []

    def work():
        try:
            for item in items:
                got.append(item)
                if len(got) == 1:
                    time.sleep(1.0)  # not reading: the child fills the pipe and is killed
        except Exception as exc:
            errors.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "the parent hangs on a child that died"
    return got, errors


def test_items_arrive_in_order_and_errors_are_raised_here():
    assert list(iterate_in_child(counting, 1000)) == list(range(1000))
    got, errors = consume(iterate_in_child(raising))
    assert got == ["first"]
    assert isinstance(errors[0], ValueError) and "row 7" in str(errors[0])


@pytest.mark.parametrize("factory", [dying_in_the_middle_of_a_batch, dying_between_batches])
def test_a_child_that_dies_is_an_error_not_a_hang(factory):
    got, errors = consume(iterate_in_child(factory, poll_s=0.2))
    assert got == ["first"]
    assert isinstance(errors[0], ChildFailed) and "died" in str(errors[0])


def test_a_dead_parser_fails_the_import_whole_and_the_database_goes_on(store, tmp_path,
                                                                       monkeypatch):
    session = store.create_session(market="US", title="t")
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer\n" + "2026-11-25T20:00:00Z,join,v1\n" * 10)
    real = import_run.iterate_in_child

    def dies_after_one_batch(factory, *args):
        for message in real(factory, *args):
            yield message
            if type(message).__name__ == "Batch":
                raise ChildFailed("the parsing process died (exit code -9)")

    monkeypatch.setattr(import_run, "iterate_in_child", dies_after_one_batch)
    with pytest.raises(ImportFailed, match=r"^events\.csv: was not imported: the parsing "
                                           r"process died \(exit code -9\)$"):
        import_file(store, session, path, child_process_bytes=0)
    assert store.event_count(session) == 0
    monkeypatch.setattr(import_run, "iterate_in_child", real)
    assert import_file(store, session, path, child_process_bytes=0).added == 10
