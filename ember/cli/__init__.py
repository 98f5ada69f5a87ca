"""``ember train`` and ``ember predict``: a whole training run as one command.

The command does the six steps of a typical PyTorch program: read the data (a built-in
dataset, an image folder or a table), take the hyperparameters (flags, or a YAML/JSON config
file that flags override), build the dataset and the model, train with checkpoints and early
stopping, and write curves, metrics and the model into the run folder. ``ember predict``
applies a saved run to new rows or images. Bad input ends with one line on stderr and exit
status 2, never with a traceback.

This module only declares the subcommands; the work (and the heavy imports: pandas,
matplotlib, tqdm, yaml) happens in the submodules when a subcommand runs.
"""
import sys


class CLIError(Exception):
    """A problem with the user's input: reported as one line on stderr, exit status 2."""


def add_subcommands(subparsers):
    """Register ``train`` and ``predict`` on the ``ember`` command's subparsers."""
    from .config import add_predict_parser, add_train_parser
    add_train_parser(subparsers)
    add_predict_parser(subparsers)


def main(command, args):
    """Run ``train`` or ``predict`` with parsed ``args``; the exit status."""
    try:
        if command == "train":
            from .train import train
            train(args)
        else:
            from .predict import predict
            predict(args)
    except CLIError as e:
        print(f"ember {command}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a file that cannot be read or written: say which, not where in the code
        name = f": {e.filename}" if getattr(e, "filename", None) else ""
        print(f"ember {command}: error: {e.strerror or e}{name}", file=sys.stderr)
        return 2
    return 0
