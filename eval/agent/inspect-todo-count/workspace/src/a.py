x = 1  # TODO: rename


def f():
    return x  # TODO handle None
