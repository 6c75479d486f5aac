import sys


def parse(argv):
    return argv[1:]


def run_pipeline(args):
    print("running", args)


def helper():
    return 42


if __name__ == "__main__":
    run_pipeline(parse(sys.argv))
