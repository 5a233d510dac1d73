"""stages/status_quo layer."""
