"""What the page generators share: write a generated page, or with ``--check`` say whether
the committed one is up to date (a diff and exit status 1 when it is not)."""
import difflib
import sys


def write_or_check(out, text, argv, script):
    """Write ``text`` to ``out``, or compare it with ``out`` under ``--check``; the exit status."""
    if "--check" in argv:
        old = out.read_text() if out.exists() else ""
        if old != text:
            print(f"{out} is out of date: run python docs/{script}")
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       "committed", "generated"))
            return 1
        return 0
    out.write_text(text)
    print(f"wrote {out}")
    return 0
