def apply_discount(price, percent):
    """Price after a percentage discount, never below zero, rounded to cents."""
    reduced = price * (100 - percent) / 100
    return round(max(reduced, 0.0), 2)
