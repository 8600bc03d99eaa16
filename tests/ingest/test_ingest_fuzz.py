"""The endpoint fuzzed against its own OpenAPI document, with hypothesis.

What schemathesis checks, on the document the server serves: bodies generated from the
request schema are accepted whole; anything else is answered with a status the document lists
for that operation, never a 5xx, with a body matching the documented schema (jsonschema); and
a refused body writes nothing. The request bodies come from `from_schema` below, a small
walker over the JSON Schema keywords the document uses. (hypothesis-jsonschema would do the
same, but its last release fails on current hypothesis when it generates objects.)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ingest_helpers import TOKEN, call

from studio.ingest import IngestServer

EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    # Every example is an HTTP request: shrinking a failure could take minutes. The failing
    # example is reported as found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def resolve(node: Any, root: dict) -> Any:
    """The schema with every local $ref replaced by what it points to."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = root
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return resolve(target, root)
        return {k: resolve(v, root) for k, v in node.items() if k != "discriminator"}
    if isinstance(node, list):
        return [resolve(v, root) for v in node]
    return node


# JSON Schema cannot say "years 1 to 9999 once converted to UTC", which the parser requires of
# a time: the generated ISO times keep to the years of live shows.
ISO_TIMES = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    .isoformat(),
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(-14 * 60, 14 * 60),
)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)


def from_schema(schema: dict, formats: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """Values valid for `schema` (resolved, no $ref), for the keywords the document uses."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([from_schema(s, formats) for s in schema[key]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}, formats) for k in kind])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.one_of(
            st.integers(None if low is None else int(low), None if high is None else int(high)),
            st.floats(low, high, allow_nan=False, allow_infinity=False),
        )
    if kind == "string":
        if schema.get("format") in formats:
            return formats[schema["format"]]
        if "pattern" in schema:
            return st.from_regex(schema["pattern"]).filter(lambda t: len(t) < 200)
        return st.text(max_size=30)
    if kind == "array":
        return st.lists(from_schema(schema["items"], formats),
                        max_size=schema.get("maxItems", 10))
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        fields = st.fixed_dictionaries(
            {k: from_schema(v, formats) for k, v in properties.items() if k in required},
            optional={k: from_schema(v, formats) for k, v in properties.items()
                      if k not in required},
        )
        extra = st.dictionaries(st.text(max_size=10).filter(lambda k: k not in properties),
                                JSON_VALUES, max_size=2)
        valid = jsonschema.Draft202012Validator(schema).is_valid  # if/then among the fields
        return st.builds(lambda a, b: {**b, **a}, fields, extra).filter(valid)
    raise NotImplementedError(f"no strategy for {schema}")


@pytest.fixture
def endpoint(store):
    session = store.create_session(market="ID", title="fuzz")
    with IngestServer(store, token=TOKEN, max_body=64 * 1024) as server:
        doc = call(server.port, "GET", "/v1/openapi.json").json()
        jsonschema.Draft202012Validator.check_schema(
            resolve(doc["components"]["schemas"]["EventBatch"], doc)
        )
        yield server, session, doc


def operation(doc: dict, path: str, method: str) -> dict:
    return doc["paths"][path][method]


def check_documented(doc: dict, path: str, method: str, status: int, body: bytes) -> Any:
    """The answer's status is documented for the operation and its body matches the schema."""
    responses = operation(doc, path, method)["responses"]
    assert str(status) in responses, f"{method.upper()} {path} answered {status}: {body[:300]}"
    schema = resolve(responses[str(status)]["content"]["application/json"]["schema"], doc)
    data = json.loads(body)
    jsonschema.Draft202012Validator(schema).validate(data)  # not validate(): no schema check
    return data


def test_bodies_generated_from_the_schema_are_accepted_whole(endpoint, store):
    server, session, doc = endpoint
    path = "/v1/sessions/{session_id}/events"
    body_schema = resolve(
        operation(doc, path, "post")["requestBody"]["content"]["application/json"]["schema"], doc
    )
    batches = from_schema({**body_schema, "maxItems": 8}, {"date-time": ISO_TIMES})
    validator = jsonschema.Draft202012Validator(body_schema)

    @EXAMPLES
    @given(batch=batches)
    def post(batch):
        validator.validate(batch)  # the generator's own check
        before = store.event_count(session)
        reply = call(server.port, "POST", f"/v1/sessions/{session}/events", json.dumps(batch))
        assert reply.status == 200, (batch, reply.body)
        result = check_documented(doc, path, "post", reply.status, reply.body)
        assert result["accepted"] + result["duplicates"] == len(batch)
        assert store.event_count(session) == before + result["accepted"]

    post()


FIELD_VALUES = st.one_of(
    JSON_VALUES,
    st.sampled_from(["join", "comment", "payment", "marker", "JOIN", "buy", "", " ", "12,5O",
                     "2026-11-25T20:00:00+08:00", "2026-11-25 20:00", "1795636805", "USD",
                     "true", "ads", "0", "-1", "9" * 30, "\ud800"]),
)
RECORDS = st.dictionaries(
    st.sampled_from(["ts", "kind", "viewer", "source", "is_new", "text", "sku", "qty",
                     "order_id", "amount", "currency", "label", "id", "extra", "coupon"]),
    FIELD_VALUES,
    max_size=8,
)


def _lines(items: list) -> str:
    return "\n".join(json.dumps(item) for item in items)


BODIES = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.lists(RECORDS, max_size=6).map(lambda v: json.dumps(v).encode()),
    st.lists(RECORDS, min_size=1, max_size=6).map(lambda v: _lines(v).encode()),
)


def test_any_body_gets_a_documented_answer_and_a_refused_one_writes_nothing(endpoint, store):
    server, session, doc = endpoint
    path = "/v1/sessions/{session_id}/events"

    @EXAMPLES
    @given(body=BODIES, content_type=st.sampled_from(
        ["application/json", "application/x-ndjson", "text/plain", None]))
    def post(body, content_type):
        before = store.event_count(session)
        headers = {"Content-Type": content_type} if content_type else {}
        reply = call(server.port, "POST", f"/v1/sessions/{session}/events", body,
                     headers=headers)
        data = check_documented(doc, path, "post", reply.status, reply.body)
        if reply.status == 200:
            assert store.event_count(session) == before + data["accepted"]
        else:
            assert store.event_count(session) == before

    post()


def test_path_parameters_and_tokens_get_documented_answers(endpoint):
    server, session, doc = endpoint
    ids = st.one_of(st.integers(min_value=-3, max_value=2**80), st.just(session))

    @EXAMPLES
    @given(session_id=ids, token=st.sampled_from([TOKEN, None, "not-the-token-0123456789"]),
           route=st.sampled_from([("/v1/sessions/{session_id}/metrics", "get"),
                                  ("/v1/sessions/{session_id}/events", "post"),
                                  ("/v1/openapi.json", "get"),
                                  ("/v1/health", "get")]))
    def request(session_id, token, route):
        template, method = route
        url = template.replace("{session_id}", str(session_id))
        reply = call(server.port, method.upper(), url, "[]" if method == "post" else None,
                     token=token)
        if session_id < 1 and "{session_id}" in template and token == TOKEN:
            # Not an id the parameter's schema allows: no route matches it.
            assert reply.status == 404
            return
        check_documented(doc, template, method, reply.status, reply.body)

    request()


def test_times_near_the_ends_of_the_calendar_are_refused_not_crashed(endpoint):
    server, session, _doc = endpoint
    for ts in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", -1e300, 1e300):
        reply = call(server.port, "POST", f"/v1/sessions/{session}/events",
                     json.dumps([{"ts": ts, "kind": "like", "viewer": "u"}]))
        assert reply.status == 400 and "[0].ts:" in reply.json()["error"]
    assert datetime.fromtimestamp(0, UTC).year == 1970
