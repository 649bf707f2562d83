"""Indicators: the categorised indicator system, its measures, roll-ups, comparisons and rule signals."""
