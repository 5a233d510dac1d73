"""stages/screening layer."""
