"""Nothing that claims to be live outlives the show or the signal: after Stop session, and while
the feed is lost, the Live view and the compact window say what is true now."""

from __future__ import annotations

import time

from studio.capture.worker import WorkerState
from studio.core.health import Status
from studio.core.onair.risk import RiskAlert
from studio.i18n.format import MISSING
from studio.ui.live.controller import DEMO_SOURCE, SessionRequest
from tests.ui.health_updates import health_update

SO_FAR = "so far"


def test_stop_session_leaves_nothing_that_claims_to_be_live(qtbot, studio):
    window, controller = studio.window, studio.controller
    live, compact = window.live, window.compact
    request = SessionRequest(market="US", title="a show", source=DEMO_SOURCE,
                             demo_audience=True, demo_viewers=300, demo_minutes=10, speed=120)
    with qtbot.waitSignal(controller.started, timeout=10_000):
        live._start(request)
    qtbot.waitUntil(lambda: live.capture.light.status == "OK" and bool(live.show_state.text())
                    and live.panels.view is not None
                    and live.panels.view.figures.traffic.viewers > 0, timeout=15_000)
    assert compact.light.status == "OK"
    assert live.panels.viewers_now.caption.text() == "viewers now"
    assert SO_FAR in live.panels.bounce.caption.text()
    controller.alert.emit(RiskAlert("freeze", time.time(), "SKU-01", False))
    assert not live.banner.isHidden() and not compact.risk.isHidden()

    with qtbot.waitSignal(controller.stopped, timeout=10_000) as stopped:
        window.start_action.trigger()  # F5, "Stop session"
    session = stopped.args[0]

    assert live.show_state.text() == ""  # no flash sale, segment or pin left running
    assert live.banner.isHidden() and compact.risk.isHidden()  # the alert was of the show
    panels = live.panels
    assert panels.view.session.ended_at == session.ended_at  # the show's final figures
    assert panels.viewers_now.caption.text() == "viewers at the end"
    assert panels.elapsed.caption.text() == "show length"
    for stat in (panels.effective, panels.bounce):
        assert SO_FAR not in stat.caption.text()
    capture = live.capture
    assert capture.light.status == ""  # grey, not a green OK beside "Stopped"
    assert capture.status.text() == MISSING and capture.state.text() == "Stopped"
    assert capture.resolution.value.text() == MISSING
    assert capture.fps.value.text() == MISSING
    assert not capture.preview.has_frame
    assert compact.light.status == "" and compact.status.text() == MISSING
    assert compact.viewers.text() == MISSING


def test_the_final_figures_are_the_post_show_ones_on_the_shows_clock(qtbot, studio):
    """An accelerated demo's events run ahead of the wall clock: the session ends on the show's
    clock, so the final figures count every viewer the show had."""
    controller, live = studio.controller, studio.window.live
    request = SessionRequest(market="US", title="a show", source=DEMO_SOURCE,
                             demo_audience=True, demo_viewers=300, demo_minutes=10, speed=120)
    with qtbot.waitSignal(controller.started, timeout=10_000):
        live._start(request)
    qtbot.waitUntil(lambda: live.panels.view is not None
                    and live.panels.view.figures.session.duration_s > 60, timeout=15_000)
    with qtbot.waitSignal(controller.stopped, timeout=10_000) as stopped:
        studio.window.start_action.trigger()
    session = stopped.args[0]
    last_event = studio.store.reader().execute(
        "SELECT max(ts) FROM events WHERE session_id = ?", [session.id]).fetchone()[0]
    assert session.ended_at >= last_event
    assert live.panels.view.figures.session.duration_s > 60


def test_signal_loss_shows_no_last_good_figures_and_says_the_picture_is_not_live(qtbot,
                                                                                 studio):
    controller, capture = studio.controller, studio.window.live.capture
    controller.health.emit(health_update())
    assert capture.resolution.value.text() == "1280 × 720"
    assert capture.fps.value.text() == "29.9 / 30.0"
    assert capture.preview.has_frame and capture.preview.not_live == ""

    controller.health.emit(health_update(WorkerState.RECONNECTING, Status.CRIT,
                                         ("signal_lost",), error="no frame within 1 s"))
    assert capture.light.status == "CRIT"
    assert capture.resolution.value.text() == MISSING
    assert capture.fps.value.text() == f"{MISSING} / 30.0"  # nothing arrives; 30 is asked
    assert capture.preview.has_frame  # the last frame, dimmed under the overlay
    assert capture.preview.not_live == "Signal lost — reconnecting"

    controller.health.emit(health_update())  # the feed is back
    assert capture.resolution.value.text() == "1280 × 720"
    assert capture.preview.not_live == ""


def test_the_compact_window_says_why_it_is_red(qtbot, studio):
    controller, compact = studio.controller, studio.window.compact
    controller.health.emit(health_update(status=Status.CRIT, reasons=("freeze",)))
    assert compact.status.text() == "CRIT"
    assert compact.reason.text() == "picture frozen"
    controller.health.emit(health_update(WorkerState.RECONNECTING, Status.CRIT,
                                         ("signal_lost",)))
    assert compact.reason.text() == "Signal lost — reconnecting"
    assert compact.fps.text() == MISSING  # not the last good frame rate
    controller.health.emit(health_update(status=Status.WARN, reasons=("drops", "fps")))
    assert compact.reason.text() == "dropping frames, frame rate low"
    controller.health.emit(health_update())
    assert compact.status.text() == "OK" and compact.reason.text() == ""
