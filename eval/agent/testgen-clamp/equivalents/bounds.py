def clamp(x, lo, hi):
    """Return x, or the nearer end when it falls outside lo..hi."""
    # lo is checked first: with lo above hi, a value below lo still gives lo.
    below = x < lo
    if not below and x > hi:
        result = hi
    else:
        result = lo if below else x
    return result
