import argparse
import json
from pathlib import Path

STORE = Path("todo.json")


def main():
    parser = argparse.ArgumentParser(description="A tiny to-do list.")
    parser.add_argument("--add", help="Add an item.")
    parser.add_argument("--list", action="store_true", help="Show all items.")
    args = parser.parse_args()
    items = json.loads(STORE.read_text()) if STORE.exists() else []
    if args.add:
        items.append(args.add)
        STORE.write_text(json.dumps(items))
    if args.list:
        for i, item in enumerate(items, 1):
            print(i, item)


if __name__ == "__main__":
    main()
