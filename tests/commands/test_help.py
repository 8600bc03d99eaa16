"""`studio --help`, every verb's help and the ingest OpenAPI document point to the project's
own docs/, never to spec files the project does not ship."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from studio.cli import build_parser
from studio.ingest.openapi import document

ROOT = Path(__file__).parents[2]


def _helps() -> list[str]:
    parser = build_parser()
    texts = [parser.format_help()]
    pending = [parser]
    while pending:
        for action in pending.pop()._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    texts.append(sub.format_help())
                    pending.append(sub)
    return texts


def test_help_and_openapi_name_only_docs_that_exist():
    texts = [*_helps(), json.dumps(document("test", 1 << 20))]
    named = set()
    for text in texts:
        assert "spec/" not in text
        named.update(re.findall(r"docs/[\w.-]+\.md", text))
    named.update(f"docs/{name}" for name in re.findall(r"\b([a-z]+\.md)\b", texts[0]))
    assert {"docs/metrics.md", "docs/health.md", "docs/cli.md", "docs/importing.md"} <= named
    assert all((ROOT / doc).is_file() for doc in named), named
