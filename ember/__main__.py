"""The ``ember`` command.

``python -m ember run script.py [args...]``: run a PyTorch program on ember, unchanged.
``ember train [options]`` / ``ember predict RUN_DIR INPUT``: see ``ember/cli``."""
import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="ember", description="PyTorch rebuilt on NumPy.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run an unmodified PyTorch program with ember as torch")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    from .cli import add_subcommands
    add_subcommands(sub)
    args = parser.parse_args(argv)
    if args.command in ("train", "predict"):
        from .cli import main as cli_main
        return cli_main(args.command, args)
    if args.command == "run":
        import os
        if not os.path.exists(args.script):
            print(f"ember run: no such file: {args.script}", file=sys.stderr)
            return 2
        from .compat import run_path
        run_path(args.script, args.args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
