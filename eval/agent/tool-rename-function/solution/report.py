def make_report(values):
    return f"total: {sum(values)}"


if __name__ == "__main__":
    print(make_report([1, 2, 3]))
