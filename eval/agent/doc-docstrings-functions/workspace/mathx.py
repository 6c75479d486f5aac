def cube(x):
    return x * x * x


def midpoint(a, b):
    return (a + b) / 2


def safe_ratio(a, b):
    if b == 0:
        return 0
    return a / b
