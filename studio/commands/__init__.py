"""One module per `studio` verb; each defines `register(subparsers)` (see studio/cli.py)."""
