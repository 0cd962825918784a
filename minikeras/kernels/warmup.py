"""Compiling the kernels a process will need on the machine's other core, when the cache is cold.

numba compiles each kernel on its first call and caches it on disk (`cache=True`). On the first
run (a cold cache) that is most of the time to the first training step: the video QA demo spent
about 10 s of its first step compiling (im2col 1.8 s, the LSTM forward 3.4 s, their backward
kernels 1.4 s each, under load). Compiling holds one core, and a machine has others.

When `kernels.load(name)` first imports a kernel module whose kernels are not cached yet, this
module starts one background Python process that compiles that module's kernels into the same
cache, backward kernels first: the main process compiles the forward kernels itself as the model
is built and traced, while the background process compiles the ones the first backward pass and
the optimizer will need. numba's dispatcher looks in the on-disk cache before compiling a new
signature (it re-reads the index every time), so the main process loads what the background one
saved. Later cold modules are sent to the same process (one line each on its stdin). It also
compiles the kernels nearly every model uses (Dense's bias + ReLU, the softmax cross-entropy,
Adam). The warm-up calls the kernels' Python entry points on tiny arrays of the dtypes, ranks
and layouts the ops pass (float32, C-contiguous), so the compiled signatures are the ones the
ops look up; `tests/kernels/test_warmup.py` checks that a model trained on a warmed cache
compiles nothing.

Rules: at most one background process per cache directory at a time (an `O_EXCL` lock file
there, `minikeras-warmup.lock`, taken over when its owner has died), none when the process may
use fewer than 2 CPUs (`runtime.available_cpus()`), when `MINIKERAS_PREWARM=0`, when JIT is
disabled, or when the cache is warm. It is only an optimisation: its output goes to
/dev/null, failures are ignored, it runs on one thread, and it ends when the main process
exits (an `atexit` hook terminates it; if the main process is killed, the closed pipe ends it).
While it runs, numba's cache writes in both processes are serialized by a file lock (`fcntl`):
numba writes the index before the data file, and two processes saving different signatures of
one kernel at once could otherwise leave an index entry pointing at the other's data.

Measured cold time to the first training step (process start to the end of the first
`train_on_batch`, one kernel thread, two cores shared with other work): see the README's
"First run" section.
"""

import atexit
import os
import subprocess
import sys
import threading

# module -> (backward recipe, forward recipe, kernels whose missing cache index marks the module
# cold); each recipe calls the module's entry points on tiny float32 arrays
_RECIPES = {}
# modules nearly every model uses, compiled after the first requested module's backward kernels
COMMON = ("bias_act", "softmax_ce", "adam")
LOCK_NAME = "minikeras-warmup.lock"
SAVE_LOCK_NAME = "minikeras-numba-save.lock"

_state = {"proc": None, "lock": None, "pid": None, "failed": False}
_mutex = threading.Lock()


def recipe(name, kernels):
    """Registers the warm-up of kernel module `name`: decorates `fn(k, part)` where `part` is
    "backward" or "forward" and `k` the loaded module."""

    def register(fn):
        _RECIPES[name] = (fn, tuple(kernels))
        return fn

    return register


def _recipes():
    """The registered recipes (`warmup_recipes.py` registers them when first imported)."""
    if not _RECIPES:
        from . import warmup_recipes  # noqa: F401

    return _RECIPES


def enabled():
    """Whether a background warm-up may run: `MINIKERAS_PREWARM` is not "0", JIT is on and this
    process may use at least 2 CPUs."""
    if os.environ.get("MINIKERAS_PREWARM", "1").strip() == "0":
        return False
    if os.environ.get("NUMBA_DISABLE_JIT", "0").strip() not in ("", "0"):
        return False
    from .runtime import available_cpus

    return available_cpus() >= 2


def _index_paths(module, names):
    """The cache index files of the named dispatchers (`attr` of `module`, or `submodule.attr`
    of this package; numba internals: None when they cannot be found, e.g. a numba that stores
    its cache differently)."""
    import importlib

    paths = []
    try:
        for n in names:
            owner, _, attr = n.rpartition(".")
            where = importlib.import_module(f"{__package__}.{owner}") if owner else module
            paths.append(getattr(where, attr)._cache._cache_file._index_path)
    except (AttributeError, ImportError):
        return None
    return paths


def is_cold(name, module):
    """Whether some kernel the recipe of `name` compiles has no cache index yet."""
    entry = _recipes().get(name)
    if entry is None:
        return False
    paths = _index_paths(module, entry[1])
    return bool(paths) and not all(os.path.exists(p) for p in paths)


def request(name, module):
    """Called by `kernels.load` when it first imports kernel module `name`: asks the background
    process (started on the first cold module) to compile its kernels. Never raises."""
    try:
        if _state["failed"] or name not in _recipes() or not is_cold(name, module):
            return
        with _mutex:
            proc = _state["proc"]
            if proc is None:
                if not enabled():
                    _state["failed"] = True
                    return
                proc = _start(os.path.dirname(_index_paths(module, _RECIPES[name][1])[0]))
                if proc is None:
                    _state["failed"] = True
                    return
            proc.stdin.write(f"{name}\n".encode())
            proc.stdin.flush()
    except Exception:  # only an optimisation
        _state["failed"] = True


# -- the main process's side ------------------------------------------------------------------


def _take_lock(path):
    """Creates the lock file with O_EXCL (this process's pid inside); replaces it once when the
    process that wrote it is gone. Returns whether this process holds it."""
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                with open(path) as f:
                    pid = int(f.read().strip() or 0)
                if pid > 0:
                    os.kill(pid, 0)  # raises when no such process
                    return False
            except ProcessLookupError:
                pass  # a dead owner: take the lock over
            except (OSError, ValueError):
                return False
            try:
                os.unlink(path)
            except OSError:
                return False
            continue
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))
        return True
    return False


def _start(cache_dir):
    """Starts the background process for `cache_dir` (None when another holds its lock)."""
    lock = os.path.join(cache_dir, LOCK_NAME)
    if not os.path.isdir(cache_dir) or not _take_lock(lock):
        return None
    env = dict(os.environ)
    env.update(
        MINIKERAS_PREWARM="0", MINIKERAS_NUM_THREADS="1", NUMBA_NUM_THREADS="1", OMP_NUM_THREADS="1"
    )
    env["OPENBLAS_NUM_THREADS"] = "1"
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), package, cache_dir],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
    except OSError:
        os.unlink(lock)
        return None
    _state.update(proc=proc, lock=lock, pid=os.getpid())
    _serialize_cache_saves(cache_dir)
    atexit.register(stop)
    return proc


def stop():
    """Ends the background process (at exit, or in tests) and releases the lock."""
    proc, lock = _state["proc"], _state["lock"]
    if proc is None or _state["pid"] != os.getpid():  # a forked child does not own it
        return
    _state.update(proc=None, lock=None)
    try:
        proc.stdin.close()
    except OSError:
        pass
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    try:
        os.unlink(lock)
    except OSError:
        pass


def background_pid():
    """The pid of this process's background warm-up process, or None."""
    proc = _state["proc"]
    return proc.pid if proc is not None else None


def _serialize_cache_saves(cache_dir):
    """Wraps numba's cache save (index, then data file) in an exclusive `fcntl` lock, so that
    this process and the background one never interleave two saves of one kernel."""
    try:
        import fcntl

        from numba.core import caching
    except ImportError:
        return
    cls = caching.IndexDataCacheFile
    if getattr(cls.save, "_minikeras_locked", False):
        return
    original = cls.save
    path = os.path.join(cache_dir, SAVE_LOCK_NAME)

    def save(self, key, data):
        with open(path, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                return original(self, key, data)
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    save._minikeras_locked = True
    cls.save = save


# -- the background process's side ------------------------------------------------------------


def serve(lines, cache_dir, drain=False):
    """Compiles the requested modules' kernels: every requested module's "train" part, most
    recent request first (the symbolic build requests the modules in layer order without
    compiling, and the main process's first step starts from the first layers), the common
    modules last; then the "trace" parts, most recent first; then the "extra" parts (see
    `warmup_recipes.py`). Returns at the end of `lines`
    (the main process has gone), or with `drain` once nothing is pending."""
    import queue

    from . import load

    _serialize_cache_saves(cache_dir)
    recipes = _recipes()
    inbox = queue.Queue()

    def read():
        for line in lines:
            inbox.put(line.strip())
        inbox.put(None)

    threading.Thread(target=read, daemon=True).start()
    train, trace, extra, seen, closed = [], [], [], set(), False
    while True:
        while True:  # take everything that has arrived
            pending = train or trace or extra
            try:
                item = inbox.get(block=not pending and not closed)
            except queue.Empty:
                break
            if item is None:
                closed = True
                break
            names = [item] + ([] if seen else list(COMMON))  # the common ones after the first
            for name in names:
                if name in recipes and name not in seen:
                    seen.add(name)
                    train.insert(0 if name in COMMON else len(train), name)
                    trace.insert(0 if name in COMMON else len(trace), name)
                    extra.append(name)
        if closed and not (drain and (train or trace or extra)):
            return
        if train:  # latest request first: the main process starts from the first layers
            name, part = train.pop(), "train"
        elif trace:
            name, part = trace.pop(), "trace"
        elif extra:
            name, part = extra.pop(0), "extra"
        else:
            continue
        try:
            recipes[name][0](load(name), part)
        except Exception:
            pass


def _main(argv):
    """Entry point of the background process: `python warmup.py <package dir> <cache dir>`
    (`--drain` after them: finish the requests read before the end of stdin, for tests).

    Imports only `minikeras.kernels` (not the whole package) through a bare package module."""
    package_dir, cache_dir = argv[1], argv[2]
    try:  # die with the parent on Linux, even when it is killed
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:
            return
    except Exception:
        pass
    import importlib
    import types

    sys.path.insert(0, package_dir)
    if "minikeras" not in sys.modules:
        bare = types.ModuleType("minikeras")
        bare.__path__ = [os.path.join(package_dir, "minikeras")]
        sys.modules["minikeras"] = bare
    warmup = importlib.import_module("minikeras.kernels.warmup")
    warmup.serve(iter(sys.stdin.readline, ""), cache_dir, drain="--drain" in argv[3:])


if __name__ == "__main__":
    _main(sys.argv)
