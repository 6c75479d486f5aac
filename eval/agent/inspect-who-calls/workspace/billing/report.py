def summarize(customers):
    return sum(customers.values())
