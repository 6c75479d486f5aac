def to_cents(amount):
    return int(amount * 100)


def round_price(amount):
    return int(amount)
