"""stages/target layer."""
