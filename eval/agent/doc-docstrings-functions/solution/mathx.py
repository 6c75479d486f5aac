def cube(x):
    """x to the third power."""
    return x * x * x


def midpoint(a, b):
    """The number halfway between a and b."""
    return (a + b) / 2


def safe_ratio(a, b):
    """a / b, or 0 when b is 0."""
    if b == 0:
        return 0
    return a / b
