"""What the host needs while on air, without Qt: new events as they land, the host's markers,
the questions still waiting for an answer, and incidents that put revenue at risk."""
