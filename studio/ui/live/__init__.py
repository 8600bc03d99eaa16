"""The Live view: what the host and producer watch during the show."""
