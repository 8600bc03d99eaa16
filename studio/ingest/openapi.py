"""The endpoint's OpenAPI 3.1 document, served at /v1/openapi.json.

The event schemas are made from the record's own tables (studio.core.events: kinds, traffic
sources, the fields each kind requires), so the document cannot drift from what the parser
accepts. The schemas keep to what JSON Schema draft 7 and 2020-12 share (no `$defs`,
`prefixItems` or `dependentRequired`), so that ordinary tools, the fuzz tests' generator among
them, read them as written. They describe the canonical form; the parser is a little more
lenient (any letter case in kinds and sources, "yes"/"no" flags, numbers given as strings).
"""

from __future__ import annotations

from typing import Any

from studio.core.events import (
    HEALTH_KINDS,
    KINDS,
    MAX_FIELD_CHARS,
    MAX_INT,
    MAX_TS,
    MIN_TS,
    REQUIRED,
    SOURCES,
)

API_PREFIX = "/v1"

_TEXT_DOC = {
    "viewer": "The platform's viewer id, opaque.",
    "text": "The comment as written, in any language.",
    "sku": "The product.",
    "order_id": "The platform's order id.",
    "label": 'A host marker, e.g. "pin SKU-12", "flash sale".',
    "id": "The event's id at its source. Posting an event with the same id again adds nothing.",
}


def _text(name: str, required: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": MAX_FIELD_CHARS}
    if required:
        schema["pattern"] = r"\S"  # values are trimmed: blank is missing
    else:
        schema["type"] = ["string", "null"]
    schema["description"] = _TEXT_DOC[name]
    return schema


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "type": [schema["type"], "null"]}


def _properties(kind: str) -> dict[str, Any]:
    required = set(REQUIRED[kind])
    amount: dict[str, Any] = {
        "description": "Money in `currency`. Give it as a string to keep it exact. "
        "Digits, one optional point, an optional leading minus: never `12,50` or `$12`.",
        "anyOf": [
            {"type": "string", "pattern": r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"},
            {"type": "number"},
        ],
    }
    if "amount" not in required:
        amount["anyOf"] = [*amount["anyOf"], {"type": "null"}]
    currency: dict[str, Any] = {
        "type": "string",
        "pattern": "^[A-Za-z]{3}$",
        "description": "ISO 4217 code, e.g. USD. Required with every amount.",
    }
    return {
        "ts": {
            "description": "When it happened: ISO 8601 (an offset or Z; without one the "
            "session market's time zone is assumed), or Unix seconds (never milliseconds).",
            "anyOf": [
                {"type": "string", "format": "date-time"},
                {"type": "number", "minimum": MIN_TS, "maximum": MAX_TS},
            ],
        },
        "kind": {"type": "string", "const": kind},
        "viewer": _text("viewer", "viewer" in required),
        "source": {
            "type": ["string", "null"],
            "enum": [*SOURCES, None],
            "description": "Traffic source of a join.",
        },
        "is_new": {
            "type": ["boolean", "null"],
            "description": "The platform's first-visit flag of a join.",
        },
        "text": _text("text", "text" in required),
        "sku": _text("sku", "sku" in required),
        "qty": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": MAX_INT,
            "description": "Units, a positive whole number.",
        },
        "order_id": _text("order_id", "order_id" in required),
        "amount": amount,
        "currency": currency if "currency" in required else _optional(currency),
        "label": _text("label", "label" in required),
        "id": _text("id", False),
    }


def _event_schema(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "title": f"{kind} event",
        "properties": _properties(kind),
        "required": ["ts", "kind", *REQUIRED[kind]],
        # Keys outside the record are kept with the event as extra fields.
        "additionalProperties": True,
    }
    if "currency" not in REQUIRED[kind]:
        schema["if"] = {"required": ["amount"], "properties": {"amount": {"not": {"type": "null"}}}}
        schema["then"] = {"required": ["currency"], "properties": {"currency": {"type": "string"}}}
    if kind in HEALTH_KINDS:
        schema["description"] = "Written by the capture monitor; details go into extra fields."
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _schema_name(kind: str) -> str:
    return "".join(part.title() for part in kind.split("_")) + "Event"


def document(version: str, max_body: int, server_url: str | None = None) -> dict[str, Any]:
    """The OpenAPI document of an endpoint accepting bodies up to `max_body` bytes."""
    schemas: dict[str, Any] = {_schema_name(kind): _event_schema(kind) for kind in KINDS}
    schemas["Event"] = {
        "description": "One event record (docs/ingest.md, and its fields in docs/importing.md, "
        "The generic format); `kind` decides the required fields.",
        "oneOf": [_ref(_schema_name(kind)) for kind in KINDS],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {kind: f"#/components/schemas/{_schema_name(kind)}" for kind in KINDS},
        },
    }
    schemas["EventBatch"] = {"type": "array", "items": _ref("Event")}
    schemas["AddResult"] = {
        "type": "object",
        "properties": {
            "accepted": {"type": "integer", "minimum": 0, "description": "events newly written"},
            "duplicates": {
                "type": "integer",
                "minimum": 0,
                "description": "events already there (same id or same stable key)",
            },
        },
        "required": ["accepted", "duplicates"],
        "additionalProperties": False,
    }
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "error": {"type": "string", "description": "what is wrong, in one line"},
            "problems": {
                "type": "array",
                "items": {"type": "string"},
                "description": "for a rejected body: its first problems, in body order",
            },
        },
        "required": ["error"],
    }
    schemas["Health"] = {
        "type": "object",
        "properties": {"status": {"const": "ok"}, "version": {"type": "string"}},
        "required": ["status", "version"],
    }
    session = {
        "name": "session_id",
        "in": "path",
        "required": True,
        "description": "The session's id (`studio sessions` lists them).",
        "schema": {"type": "integer", "minimum": 1},
    }
    unauthorised = _error("No token, or a wrong one: `Authorization: Bearer <token>`.")
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Live Studio Companion: live event ingest",
            "version": version,
            "description": "Platform events (chat relays, webhook forwarders, browser "
            "extensions, scripts) into a session of the studio's database. Every route but "
            "/v1/health needs `Authorization: Bearer <token>`; the token is shown in the app "
            "and by `studio serve`. See docs/ingest.md.",
        },
        "paths": {
            f"{API_PREFIX}/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the endpoint runs, and its version",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "running",
                            "content": {"application/json": {"schema": _ref("Health")}},
                        }
                    },
                }
            },
            f"{API_PREFIX}/sessions/{{session_id}}/events": {
                "post": {
                    "operationId": "addEvents",
                    "summary": "Add events to a session",
                    "description": "The whole body is validated first; nothing of a body "
                    "with a problem is written. The answer comes after the events are "
                    "committed to disk, so an acknowledged event survives a crash. Idempotent: "
                    "an event with an `id` is keyed by it, one without by a stable key of its "
                    "time and content (the importer's), so sending a body again adds nothing. "
                    f"Bodies up to {max_body} bytes.",
                    "parameters": [session],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": _ref("EventBatch")},
                            "application/x-ndjson": {
                                "schema": {"type": "string"},
                                "description": "JSON Lines: one event object per line",
                            },
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "committed",
                            "content": {"application/json": {"schema": _ref("AddResult")}},
                        },
                        "400": _error("Malformed JSON, an unknown kind or a bad field; "
                                      "nothing of the body was written."),
                        "401": unauthorised,
                        "404": _error("No such session."),
                        "408": _error("The body did not arrive in time."),
                        "413": _error(f"The body is larger than {max_body} bytes."),
                        "429": _error("The database writer is busy: retry after the "
                                      "Retry-After header's seconds. Nothing was written."),
                        "503": _error("The database has not confirmed the write in time or "
                                      "is closing: send the same body again (duplicates are "
                                      "ignored)."),
                    },
                }
            },
            f"{API_PREFIX}/sessions/{{session_id}}/metrics": {
                "get": {
                    "operationId": "metrics",
                    "summary": "The session's figures (docs/metrics.md, as `studio metrics "
                    "--json`)",
                    "parameters": [session],
                    "responses": {
                        "200": {
                            "description": "the figures",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "401": unauthorised,
                        "404": _error("No such session."),
                    },
                }
            },
            f"{API_PREFIX}/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "the OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "401": unauthorised,
                    },
                }
            },
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
