"""The period's settings: the params schema and loader, and the measure catalogue."""
