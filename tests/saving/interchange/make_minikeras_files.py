"""Writes data/mk: every catalogue model built by minikeras, its weights randomised, saved as
`.keras`, legacy `.h5`, `.weights.h5` and Keras 2 weights-only `_weights.h5` (and
`_tf.h5`, `for_tf_keras=True`, for FOR_TF_KERAS), with minikeras's
predictions (`<name>.npz`). `check_in_keras.py` then loads these files into real Keras.

    python tests/saving/interchange/make_minikeras_files.py [name ...]
"""

import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import catalogue  # noqa: E402
import io_utils  # noqa: E402

import minikeras  # noqa: E402

TARGETS = {
    "keras": "{}.keras",
    "h5": "{}.h5",
    "weights.h5": "{}.weights.h5",
    "weights_k2": "{}_weights.h5",
    "json": "{}.json",  # model.to_json()
}

# `model.save(..., for_tf_keras=True)` as `<name>_tf.h5` (docs/saving.md: tensors given besides the
# first argument, mha(q, v) or rnn(x, initial_state=s), and nested functional models)
FOR_TF_KERAS = ("attention", "nested", "rnn_states")


def main():
    out = io_utils.folder("mk")
    manifest_path = os.path.join(out, "manifest.json")
    manifest = io_utils.read_json(manifest_path)
    only = sys.argv[1:]
    for name, build in catalogue.BUILDERS.items():
        if only and name not in only:
            continue
        minikeras.utils.clear_session()
        minikeras.utils.set_random_seed(0)
        model, inputs = build(minikeras)
        catalogue.randomize_weights(model, name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = io_utils.flat_outputs(model.predict(io_utils.feed(name, inputs), verbose=0))
        io_utils.save_arrays(os.path.join(out, f"{name}.npz"), inputs, y)
        for fmt, pattern in TARGETS.items():
            path = os.path.join(out, pattern.format(name))
            if fmt.startswith("weights"):
                model.save_weights(path)
            elif fmt == "json":
                with open(path, "w") as f:
                    f.write(model.to_json())
            else:
                model.save(path)
        written = sorted(TARGETS)
        if name in FOR_TF_KERAS:  # graphs tf.keras 2 reads only in its own form
            model.save(os.path.join(out, f"{name}_tf.h5"), for_tf_keras=True)
            written.append("h5_tf")
        manifest[name] = {"written": written, "flags": sorted(catalogue.FLAGS.get(name, ()))}
        print(name, [a.shape for a in y])
    io_utils.write_json(manifest_path, manifest)


if __name__ == "__main__":
    main()
