"""The line budget of ../shared/STYLE.md, kept visible: no module of the package over 600 lines.

Files that grow past the budget are split by what a reader looks for (losses by family, ops by
family), not cut at an arbitrary line. The largest files are printed by
`python tests/test_size.py`, so the budget's headroom is one command away.
"""

import os

PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "minikeras")
MAX_LINES = 600


def _sizes():
    sizes = {}
    for root, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    sizes[os.path.relpath(path, os.path.dirname(PACKAGE))] = sum(1 for _ in f)
    return sizes


def test_no_module_over_the_line_budget():
    over = {path: n for path, n in _sizes().items() if n > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines (split them by concern): {over}"


def test_the_budget_counts_real_files():
    sizes = _sizes()
    assert "minikeras/__init__.py" in sizes and len(sizes) > 100
    assert all(n > 0 for path, n in sizes.items() if not path.endswith("__init__.py"))


if __name__ == "__main__":
    for path, n in sorted(_sizes().items(), key=lambda kv: -kv[1])[:15]:
        print(f"{n:5d}  {path}")
