"""A live session from the window: start/stop, the feed's health, markers from hotkeys."""

from __future__ import annotations

import json
import time
import urllib.request

from studio.app import Studio
from studio.core.store import Store
from studio.ui.ingest_dialog import IngestDialog, curl_example
from studio.ui.live.controller import DEMO_SOURCE, SessionRequest


def _start(qtbot, studio, **fields):
    request = SessionRequest(market="US", title="test show", source=DEMO_SOURCE, **fields)
    with qtbot.waitSignal(studio.controller.started, timeout=10_000) as started:
        studio.window.live._start(request)
    return started.args[0]


def _stop(qtbot, studio):
    with qtbot.waitSignal(studio.controller.stopped, timeout=10_000) as stopped:
        studio.window.live.toggle_session()
    return stopped.args[0]


def test_start_shows_health_and_stop_ends_the_session(qtbot, studio):
    session = _start(qtbot, studio)
    live = studio.window.live
    assert live.controls.button.text() == "Stop session"
    assert not live.controls.market.isEnabled()
    qtbot.waitUntil(lambda: live.capture.light.status == "OK", timeout=10_000)
    assert live.capture.resolution.value.text() == "1280 × 720"
    qtbot.waitUntil(lambda: live.panels.view is not None, timeout=5_000)
    ended = _stop(qtbot, studio)
    assert ended.id == session.id and ended.ended_at is not None
    assert studio.store.session(session.id).ended_at is not None
    assert live.controls.button.text() == "Start session"
    kinds = {e.kind for e in studio.store.events(session.id)}
    assert "health_status" in kinds or studio.store.reader().execute(
        "SELECT count(*) FROM health_samples WHERE session_id = ?", [session.id]).fetchone()[0]


def test_demo_audience_fills_the_graphs(qtbot, studio):
    _start(qtbot, studio, demo_audience=True, demo_viewers=300, demo_minutes=10, speed=120)
    panels = studio.window.live.panels
    qtbot.waitUntil(lambda: panels.view is not None and panels.view.figures.traffic.viewers > 20,
                    timeout=15_000)
    assert panels.funnel.counts[0] == panels.view.figures.traffic.viewers
    assert panels.timeline.points > 1
    _stop(qtbot, studio)


def test_hotkeys_write_markers_onto_the_timeline(qtbot, studio, monkeypatch):
    markers = studio.window.markers
    assert [a.shortcut().toString() for a in markers.actions] == [
        "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5", "Ctrl+6"]
    assert not any(a.isEnabled() for a in markers.actions)  # nothing on air
    session = _start(qtbot, studio)
    assert all(a.isEnabled() for a in markers.actions)
    answers = iter([("SKU-9", True), ("shipping Q&A", True), ("giveaway", True)])
    monkeypatch.setattr("studio.ui.marker_actions.QInputDialog.getText",
                        lambda *args, **kwargs: next(answers))
    pin, flash_start, flash_end, segment, custom, unpin = markers.actions
    for action in (pin, flash_start, flash_end, segment, custom):
        action.trigger()
    live = studio.window.live
    qtbot.waitUntil(lambda: live.panels.timeline.marker_count >= 1 and len(
        live.panels.view.markers) == 5, timeout=5_000)
    labels = [e.label for e in studio.store.events(session.id, ["marker"])]
    assert sorted(labels) == sorted([
        "pin SKU-9", "flash sale start", "flash sale end", "segment: shipping Q&A", "giveaway"])
    assert live.panels.view.show.pinned == "SKU-9"
    assert live.show_state.text() == "Pinned: SKU-9 · Segment: shipping Q&A"
    unpin.trigger()
    qtbot.waitUntil(lambda: live.panels.view.show.pinned is None, timeout=5_000)
    assert live.show_state.text() == "Segment: shipping Q&A"
    _stop(qtbot, studio)


def test_a_missing_recording_is_refused_before_a_session_is_made(qtbot, studio, tmp_path):
    request = SessionRequest(market="US", title="x", source=str(tmp_path / "missing.mp4"))
    live = studio.window.live
    with qtbot.waitSignal(studio.controller.failed, timeout=10_000):
        live._start(request)
    assert "no such recording" in live.banner.text()
    assert not studio.controller.on_air and live.controls.button.isEnabled()
    assert studio.store.sessions() == []


def test_an_unreadable_recording_says_why(qtbot, studio, tmp_path):
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(b"\x00not a video" * 100)
    live = studio.window.live
    with qtbot.waitSignal(studio.controller.started, timeout=10_000):
        live._start(SessionRequest(market="US", title="x", source=str(garbage)))
    qtbot.waitUntil(lambda: live.capture.state.text() == "Source failed", timeout=10_000)
    assert live.capture.reasons.text()  # the source's own words, not a blank line
    _stop(qtbot, studio)


def test_rebuilding_the_window_on_air_keeps_the_show(qtbot, studio):
    session = _start(qtbot, studio)
    live = studio.window.live
    history = studio.controller.history
    qtbot.waitUntil(lambda: history.view is not None and history.latest is not None
                    and history.latest.snapshot.t is not None, timeout=10_000)
    studio.window._toggle_compact()
    studio.set_language("zh_CN")
    window = studio.window
    assert window.compact.isVisible()
    assert window.live is not live and window.live.controls.button.isEnabled()
    assert window.live.panels.view is not None
    assert window.live.capture.light.status == history.latest.snapshot.status.value
    assert all(a.isEnabled() for a in window.markers.actions)
    with qtbot.waitSignal(studio.controller.stopped, timeout=10_000):
        window.start_action.trigger()  # it says stop, and it stops
    assert studio.store.session(session.id).ended_at is not None
    studio.set_language("en")


def test_closing_during_a_start_ends_the_session(qtbot, qapp, tmp_path):
    with Store(tmp_path / "s.db") as store:
        app = Studio(qapp, store, language="en")
        app.window.live._start(SessionRequest(market="US", title="x", source=DEMO_SOURCE))
        app.close()  # before the started signal is delivered
    with Store(tmp_path / "s.db") as store:
        assert [s.ended_at is not None for s in store.sessions()] == [True]


def test_events_posted_to_the_ingest_endpoint_reach_the_live_view(qtbot, qapp, tmp_path):
    with Store(tmp_path / "live.db") as store:
        app = Studio(qapp, store, language="en", ingest_port=0)
        try:
            assert app.ingest is not None and app.ingest.url.startswith("http://127.0.0.1:")
            assert app.ingest.url in app.window.ingest_label.text()
            session = _start(qtbot, app)
            body = json.dumps([
                {"ts": time.time(), "kind": "join", "viewer": "relay-1", "source": "ads"},
                {"ts": time.time(), "kind": "comment", "viewer": "relay-1",
                 "text": "how long does shipping to Texas take?", "id": "relay-c1"},
            ]).encode()
            request = urllib.request.Request(
                f"{app.ingest.url}/v1/sessions/{session.id}/events", data=body, method="POST",
                headers={"Authorization": f"Bearer {app.ingest.token}",
                         "Content-Type": "application/json"})
            posted = time.monotonic()
            with urllib.request.urlopen(request, timeout=10) as response:
                assert json.load(response) == {"accepted": 2, "duplicates": 0}
            panels = app.window.live.panels
            qtbot.waitUntil(lambda: panels.interaction.question_count("logistics") == 1,
                            timeout=5_000)
            assert time.monotonic() - posted < 2.0  # "within a second", with CI's slack
            assert panels.view.figures.traffic.viewers == 1
            dialog = IngestDialog(app.ingest, None, session.id)
            qtbot.addWidget(dialog)
            assert dialog.token.text() == app.ingest.token
            assert f"{app.ingest.url}/v1/sessions/{session.id}/events" in curl_example(
                app.ingest.url, session.id)
            _stop(qtbot, app)
        finally:
            app.window.hide()
            app.close()
