"""Monthly performance measures: each measure's series from the inputs, and its IMPACT score."""
