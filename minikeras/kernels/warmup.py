"""Compiling the kernels a process will need on the machine's other core, when the cache is cold.

numba compiles each kernel on its first call and caches it on disk (`cache=True`). On the first
run (a cold cache) that is most of the time to the first training step: the video QA demo spent
about 10 s of its first step compiling (im2col 1.8 s, the LSTM forward 3.4 s, their backward
kernels 1.4 s each, under load). Compiling holds one core, and a machine has others.

The background process starts as `minikeras` is imported, when the cache directory holds no
compiled kernel at all (`start_early`), so that its own start (Python, numpy, numba: about
0.6 s) overlaps the import and the model's build; otherwise when `kernels.load(name)` first
imports a kernel module whose kernels are not cached yet. The main process then tells it, one
line each on its stdin, which kernel modules and entry points the model uses (the symbolic
build's placeholder runs go through `kernels.references()`, which reports the entry points, in
layer order). It keeps a plan of what the first training step will call, in the order it will
call it (each layer's forward kernels in layer order, the loss, the backward kernels in reverse
layer order, the optimizer), and compiles from the end of that plan while the main process
compiles from its start: the two meet in the middle. (The recurrent layers' backward kernels,
the largest, come first: see `_next`.) `warmup_claims.py` makes sure that no
kernel is compiled by both (a claim per kernel: the main process waits for a kernel the other
is compiling and loads it from the cache; the background process skips one the main process
took). numba's dispatcher looks in the on-disk cache before compiling a new signature (it
re-reads the index every time), so the main process loads what the background one saved. It
also plans the kernels nearly every model uses (the softmax cross-entropy, Adam) before any
model is known. The warm-up calls the kernels' Python entry points on tiny arrays of the dtypes,
ranks and layouts the ops pass (float32, C-contiguous; `warmup_recipes.py`), so the compiled
signatures are the ones the ops look up; `tests/kernels/test_warmup.py` checks that a model
trained on a warmed cache compiles nothing.

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
import hashlib
import os
import subprocess
import sys
import threading

# module -> (recipe, kernels whose missing cache index marks the module cold, stage); a recipe
# `fn(k, part, entries)` returns the (name, call) pairs of one part ("fwd", "bwd" or "extra") of
# the module's kernels for the entry points `entries` the model uses (empty when unknown), each
# call compiling one kernel on tiny arrays
_RECIPES = {}
# modules nearly every model uses, planned before the first request (models that use them load
# them during the first step, too late to plan)
COMMON = ("softmax_ce", "adam")
STAGES = ("layer", "loss", "optimizer")  # where a module's kernels fall in a training step
_EARLY = set()  # modules whose backward kernels the background process compiles first
LOCK_NAME = "minikeras-warmup.lock"
SAVE_LOCK_NAME = "minikeras-numba-save.lock"

_state = {"proc": None, "lock": None, "pid": None, "failed": False, "dir": None, "sent": set()}
_mutex = threading.Lock()


def recipe(name, kernels, stage="layer", early=False):
    """Registers the warm-up of kernel module `name` (`fn(k, part, entries)`, see `_RECIPES`).
    `early`: the background process compiles the module's backward kernels before anything else
    (see `_next`)."""
    if stage not in STAGES:
        raise ValueError(f"recipe stage must be one of {STAGES}. Received: {stage!r}")

    def register(fn):
        _RECIPES[name] = (fn, tuple(kernels), stage)
        if early:
            _EARLY.add(name)
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


def cache_dir():
    """The directory numba caches these kernels in, found without importing numba: under
    `NUMBA_CACHE_DIR` as numba names it (the folder's name and the SHA-1 of its path), else
    `__pycache__` beside them; None when it would be neither (numba then uses a user-wide one).
    """
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.environ.get("NUMBA_CACHE_DIR", "").strip()
    if root:
        sub = os.path.basename(here) + "_" + hashlib.sha1(here.encode()).hexdigest()
        return os.path.join(root, sub)
    pycache = os.path.join(here, "__pycache__")
    return pycache if os.access(here if not os.path.isdir(pycache) else pycache, os.W_OK) else None


def start_early():
    """Starts the background process when this package is imported and the cache directory has
    no compiled kernel yet (a first run): it then imports numba and compiles the common kernels
    while the main process imports minikeras and builds its model. Never raises."""
    try:
        if _state["proc"] is not None or _state["failed"] or not enabled():
            return
        folder = cache_dir()
        if folder is None:
            return
        if os.path.isdir(folder) and any(f.endswith(".nbi") for f in os.listdir(folder)):
            return  # something is cached: `request` decides module by module
        os.makedirs(folder, exist_ok=True)
        with _mutex:
            if _state["proc"] is None:
                _start(folder)
    except Exception:  # only an optimisation
        pass


def request(name, module, entry=None):
    """Called by `kernels.load` when it first imports kernel module `name` (and by
    `kernels.references()` for each entry point a placeholder run calls): asks the background
    process (started on the first cold module) to compile its kernels. Never raises."""
    try:
        line = name if entry is None else f"{name}:{entry}"
        if _state["failed"] or line in _state["sent"] or name not in _recipes():
            return
        if not is_cold(name, module):
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
            if _state["pid"] == os.getpid():  # numba is imported now (`module` is)
                from . import warmup_claims

                _serialize_cache_saves(_state["dir"])
                warmup_claims.install(_state["dir"], background=False)
            _state["sent"].add(line)
            proc.stdin.write(f"{line}\n".encode())
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
    _state.update(proc=proc, lock=lock, pid=os.getpid(), dir=cache_dir)
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
    from .warmup_claims import release_all_of

    release_all_of(proc.pid, _state["dir"])
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


def plan(requested, entries, recipes):
    """(module, part) in the order the first training step calls them: each "layer" module's
    forward kernels in request order (the build's order), the loss's forward and backward, the
    layers' backward kernels in reverse order, the optimizer's; then the "extra" parts."""
    stage = {m: recipes[m][2] for m in requested}
    layers = [m for m in requested if stage[m] == "layer"]
    loss = [m for m in requested if stage[m] == "loss"]
    optimizer = [m for m in requested if stage[m] == "optimizer"]
    steps = [(m, "fwd") for m in layers + loss] + [(m, "bwd") for m in loss]
    steps += [(m, "bwd") for m in reversed(layers)] + [(m, "bwd") for m in optimizer]
    return steps + [(m, "extra") for m in layers]


def serve(lines, cache_dir, drain=False):
    """Compiles the kernels of the requested modules (lines "module" or "module:entry"), the
    last of `plan` first: the main process compiles from its start and takes the rest, and
    `warmup_claims` keeps the two from compiling one kernel twice. The "extra" parts come after
    everything. Returns at the end of `lines` (the main process has gone), or with `drain` once
    nothing is left to compile."""
    import queue

    from . import load, warmup_claims

    _serialize_cache_saves(cache_dir)
    warmup_claims.install(cache_dir, background=True)
    recipes = _recipes()
    inbox = queue.Queue()

    def read():
        for line in lines:
            inbox.put(line.strip())
        inbox.put(None)

    threading.Thread(target=read, daemon=True).start()
    requested, entries, done, closed = list(COMMON), {}, set(), False

    def take(item):
        name, _, entry = item.partition(":")
        if name in recipes and name not in requested:
            requested.append(name)
        if entry:
            entries.setdefault(name, set()).add(entry)

    while True:
        while not closed:  # take everything that has arrived
            try:
                item = inbox.get_nowait()
            except queue.Empty:
                break
            if item is None:
                closed = True
            else:
                take(item)
        if closed and not drain:
            return
        pending = _next(requested, entries, recipes, done, load)
        if pending is None:
            if closed:
                return
            item = inbox.get()  # nothing to do until the next request
            if item is None:
                closed = True
            else:
                take(item)
            continue
        key, call = pending
        done.add(key)
        try:
            call()
        except Exception:  # warmup_claims.Skip (the main process compiles it), or a failure
            pass


def _next(requested, entries, recipes, done, load):
    """((module, part, name), call) of the next kernel to compile, or None: the end of the plan
    first, except the backward kernels of `early` modules (the recurrent layers'), which come
    before everything. They are the largest (the LSTM backward, 2-3 s with its helpers) and share
    their helpers with the forward kernels the main process reaches later, which then finds the
    helpers compiled: video QA's cold first step, interleaved fresh processes, median of 6:
    6.2 -> 5.4 s; lstm 4.2 -> 4.0 (median of 3)."""
    steps = plan([m for m in requested if m in recipes], entries, recipes)
    extras = [s for s in steps if s[1] == "extra"]
    order = list(reversed([s for s in steps if s[1] != "extra"]))
    first = [s for s in order if s[0] in _EARLY and s[1] == "bwd"]
    for module, part in first + [s for s in order if s not in first] + extras:
        try:
            calls = recipes[module][0](load(module), part, frozenset(entries.get(module, ())))
        except Exception:
            continue
        for name, call in calls:
            if (module, part, name) not in done:
                return (module, part, name), call
    return None


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

    # numba imports scipy.linalg when it first compiles, only to learn whether np.dot may call
    # SciPy's BLAS (about 0.2 s of CPU); no kernel calls numba's BLAS (tests/kernels/
    # test_warmup.py checks), so this process goes without
    sys.modules.setdefault("scipy", None)
    sys.path.insert(0, package_dir)
    if "minikeras" not in sys.modules:
        bare = types.ModuleType("minikeras")
        bare.__path__ = [os.path.join(package_dir, "minikeras")]
        sys.modules["minikeras"] = bare
    warmup = importlib.import_module("minikeras.kernels.warmup")
    warmup.serve(iter(sys.stdin.readline, ""), cache_dir, drain="--drain" in argv[3:])


if __name__ == "__main__":
    _main(sys.argv)
