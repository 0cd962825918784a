"""What the `make_*_fixtures.py` scripts that record op and layer cases share: the npz layout the
replaying tests read.

Layout: `x_<name>` the inputs; per case `i`: `args<i>` the case as JSON, and `y<i>` its Keras
output, or `y<i>_<k>` (k = 0, 1, ...) for a case whose output is a list or tuple of arrays.

The scripts run as `python tests/data/keras/make_x.py`, so this folder is on their path and they
`import _fixture_utils`.
"""

import json

import numpy as np


def case_arrays(inputs, cases, outputs):
    """The npz entries of `inputs` (a dict name -> array), `cases` (JSON-able dicts) and the
    matching `outputs` (an array, or a list/tuple of arrays, per case), in that order."""
    arrays = {f"x_{k}": v for k, v in inputs.items()}
    for i, (case, y) in enumerate(zip(cases, outputs, strict=True)):
        arrays[f"args{i}"] = np.array(json.dumps(case))
        if isinstance(y, (list, tuple)):
            for k, part in enumerate(y):
                arrays[f"y{i}_{k}"] = part
        else:
            arrays[f"y{i}"] = y
    return arrays


def write_cases(path, inputs, cases, outputs):
    """Writes `case_arrays(inputs, cases, outputs)` to the compressed npz `path`."""
    np.savez_compressed(path, **case_arrays(inputs, cases, outputs))
