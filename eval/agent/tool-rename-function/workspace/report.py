def make_rpt(values):
    return f"total: {sum(values)}"


if __name__ == "__main__":
    print(make_rpt([1, 2, 3]))
