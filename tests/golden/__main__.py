"""``python -m tests.golden --regenerate``: rewrite every expected file from the current cleaner."""

import argparse

from . import cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regenerate", action="store_true", help="overwrite cases/*.expected.md")
    args = parser.parse_args()
    for case in cases():
        output = case.render()
        old = case.expected_path.read_text(encoding="utf-8") if case.expected_path.exists() else None
        status = "unchanged" if old == output else ("new" if old is None else "CHANGED")
        if args.regenerate and old != output:
            case.expected_path.write_text(output, encoding="utf-8")
        print(f"{status:>9}  {case.expected_path.name}")
    if not args.regenerate:
        print("dry run: pass --regenerate to write the files")


if __name__ == "__main__":
    main()
