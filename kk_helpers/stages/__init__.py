"""stages layer: the four stages of the method, plus prepare (load once, cache)."""
