"""`python -m minikeras --version` prints the version; `python -m minikeras` prints a short report."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m minikeras",
        description="minikeras: Keras-compatible deep learning on numpy and numba.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    args = parser.parse_args(argv)
    import minikeras

    if args.version:
        print(minikeras.__version__)
        return 0
    import numba
    import numpy

    print(
        f"minikeras {minikeras.__version__} (numpy {numpy.__version__}, numba {numba.__version__}, "
        f"python {sys.version.split()[0]})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
