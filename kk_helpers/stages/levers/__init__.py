"""stages/levers layer."""
