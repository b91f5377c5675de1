"""The IMPACT scorecard: every measure of the strategic plan, scored against its desired level."""
