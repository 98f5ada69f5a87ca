"""Run the benchmark suite at 1 and 2 threads: ``python -m benchmarks.run [--quick]``.

Each thread count runs in its own process because BLAS reads its thread count from the
environment when it loads.
"""
import os
import subprocess
import sys


def main():
    for threads in (1, 2):
        env = dict(os.environ, EMBER_BENCH_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
                   OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
        subprocess.run([sys.executable, "-m", "benchmarks.suite", *sys.argv[1:]], env=env, check=True)


if __name__ == "__main__":
    main()
