def apply_discount(price, percent):
    """The price less percent per cent of it: zero at the least, to two decimals."""
    kept = 100 - percent
    # multiply first, then divide, as floats round differently the other way
    value = price * kept / 100
    if value < 0.0:
        value = 0.0
    return round(value, 2)
