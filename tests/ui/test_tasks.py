"""The one door for background work: results and errors come back on the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.core.errors import UserError
from studio.ui.errors import errors_shown
from studio.ui.tasks import Tasks


@pytest.fixture
def tasks(qapp):
    runner = Tasks("test")
    yield runner
    runner.shutdown()


def _gui_thread() -> threading.Thread:
    return threading.main_thread()


def test_the_result_arrives_on_the_gui_thread(qtbot, tasks):
    seen = []
    tasks.run(lambda a, b: (a + b, threading.current_thread()), 2, 3,
              on_done=lambda result: seen.append((result, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(seen))
    (total, worker), caller = seen[0]
    assert total == 5
    assert worker is not _gui_thread()
    assert caller is _gui_thread()


def test_jobs_of_one_runner_run_in_order(qtbot, tasks):
    seen = []
    for i in range(20):
        tasks.run(lambda i=i: i, on_done=seen.append)
    qtbot.waitUntil(lambda: len(seen) == 20)
    assert seen == list(range(20))


def test_an_error_goes_to_on_error_on_the_gui_thread(qtbot, tasks):
    seen = []

    def fail():
        raise ValueError("broken")

    tasks.run(fail, on_done=lambda _r: seen.append("done"),
              on_error=lambda exc: seen.append((exc, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(seen))
    error, thread = seen[0]
    assert isinstance(error, ValueError) and thread is _gui_thread()


def test_without_on_error_the_one_handler_shows_it(qtbot, tasks, caplog):
    def fail():
        raise RuntimeError("disk on fire")

    with qtbot.waitSignal(errors_shown.shown) as shown:
        tasks.run(fail)
    assert "disk on fire" in shown.args[0] and "log" in shown.args[0]
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)
    _close_boxes()


def test_a_user_error_is_shown_as_written(qtbot, tasks):
    def fail():
        raise UserError("orders.csv:3: amount is not a number")

    with qtbot.waitSignal(errors_shown.shown) as shown:
        tasks.run(fail)
    assert shown.args[0] == "orders.csv:3: amount is not a number"
    _close_boxes()


def test_on_main_runs_a_worker_callback_on_the_gui_thread(qtbot, tasks):
    seen = []
    callback = tasks.on_main(lambda value: seen.append((value, threading.current_thread())))
    thread = threading.Thread(target=callback, args=(7,))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(7, _gui_thread())]


def test_a_result_after_the_runner_is_gone_is_dropped(qtbot, qapp):
    runner = Tasks("gone")
    gate = threading.Event()
    seen = []
    runner.run(gate.wait, on_done=seen.append)
    runner.deleteLater()
    qtbot.wait(50)  # the QObject is deleted while the job still runs
    gate.set()
    runner.shutdown(wait=True)
    qtbot.wait(50)
    assert seen == []


def test_on_main_passes_every_argument(qtbot, tasks):
    seen = []
    progress = tasks.on_main(lambda done, total: seen.append((done, total)))
    tasks.run(lambda: [progress(n, 3) for n in range(1, 4)])
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_callback_never_runs_inside_the_call_that_asked(qtbot, tasks):
    seen = []
    tasks.on_main(seen.append)("at once")  # from the GUI thread itself
    assert seen == []  # later, from the event loop: no re-entry into the caller
    qtbot.waitUntil(lambda: seen == ["at once"])


def test_a_cancelled_runner_starts_nothing_queued_and_delivers_nothing(qtbot, qapp):
    runner = Tasks("closing")
    gate = threading.Event()
    started, seen = [], []

    def first():
        started.append("first")
        gate.wait()
        return "first"

    runner.run(first, on_done=seen.append)
    runner.run(lambda: started.append("second"), on_done=seen.append)
    qtbot.waitUntil(lambda: started == ["first"])
    runner.shutdown(wait=False, cancel=True)  # the view closes while `first` runs
    gate.set()
    runner.shutdown(wait=True)
    qtbot.wait(50)
    assert started == ["first"] and seen == []


def test_an_error_shown_in_place_is_logged_with_its_traceback(caplog):
    from studio.ui.errors import shown_in_place

    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as raised:
        error = raised
    assert shown_in_place(error, "computing figures") == "disk on fire"
    record = next(r for r in caplog.records if r.getMessage() == "computing figures")
    assert record.exc_info and record.exc_info[1] is error


def _close_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox):
            widget.close()
