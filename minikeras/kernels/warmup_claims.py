"""Which process compiles a kernel while the background warm-up runs (`warmup.py`): claims.

Two processes compile into one numba cache on a cold start: the main one, which compiles what
its first training step calls, and the background one, which works through its plan. Without
coordination both often compile the same kernel at the same time (numba looks in the cache only
before it starts compiling), and the main process gains nothing from the second core.

So, while the background process runs, every compile of a cached dispatcher (`cache=True`) in
that cache directory first takes a claim: the file `minikeras-claims/<key>` (key: the kernel's
cache index name and signature), created with `O_EXCL`, holding the claimer's pid. A process
that misses the cache and finds the claim taken does not compile the kernel:

- the main process waits until the claimer has saved it, then loads it from the cache;
- the background process skips it (`Skip`) when it is a kernel its plan calls directly, and
  waits for it when it is a helper compiled inside one of its kernels.

A claim is removed when its compile ends (saved or failed). Waiting cannot deadlock: a process
holds claims only on the kernels it is compiling now, a chain of callers and callees, and waits
only for a callee of the innermost one; call graphs have no cycles. A claim whose owner has died
is taken over, and a wait gives up after `TIMEOUT` seconds (the waiter then compiles).

The compiled code is the same whichever process compiles it (same machine, same numba), so a
cold run computes the same bits as a warm one.
"""

import hashlib
import os
import threading
import time

CLAIMS = "minikeras-claims"
TIMEOUT = 120.0
POLL = 0.004  # seconds between looks at the cache while waiting

_local = threading.local()  # depth: nested compiles in this thread; held: claim paths held
_config = {"dir": None, "background": False, "installed": False}


class Skip(Exception):
    """Raised in the background process for a planned kernel that the other process compiles."""


def _held():
    held = getattr(_local, "held", None)
    if held is None:
        held = _local.held = []
    return held


def _claim_path(cache, sig):
    index = os.path.basename(cache._cache_file._index_path)
    key = hashlib.sha1(f"{index}|{sig}".encode()).hexdigest()[:24]
    return os.path.join(_config["dir"], CLAIMS, key)


def _take(path):
    """Creates the claim file (this pid inside); False when another process holds it."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(str(os.getpid()))
    return True


def _owner_alive(path):
    """Whether the claim at `path` still belongs to a live process (True while unreadable)."""
    try:
        with open(path) as f:
            text = f.read().strip()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    if not text:
        return True  # being written
    try:
        os.kill(int(text), 0)
    except ProcessLookupError:
        return False
    except (OSError, ValueError):
        return True
    return True


def _release(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _ours(cache):
    try:
        return os.path.abspath(cache._cache_path) == _config["dir"]
    except AttributeError:
        return False


def _load_or_claim(original, cache, sig, target_context):
    """numba's cache load, then a claim, or a wait for the process that holds it."""
    cres = original(cache, sig, target_context)
    if cres is not None or not _ours(cache):
        return cres
    path = _claim_path(cache, sig)
    deadline = time.monotonic() + TIMEOUT
    while True:
        if _take(path):
            _held().append(path)
            return None
        if not _owner_alive(path):
            _release(path)  # a dead owner: take the claim over
            continue
        if _config["background"] and getattr(_local, "depth", 0) <= 1:
            raise Skip(path)
        while os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(POLL)
            cres = original(cache, sig, target_context)
            if cres is not None:
                return cres
            if not _owner_alive(path):
                break
        cres = original(cache, sig, target_context)  # saved just before the claim went
        if cres is not None or time.monotonic() >= deadline:
            return cres


def install(cache_dir, background):
    """Makes this process take claims for the kernels it compiles into `cache_dir` (once)."""
    if _config["installed"]:
        return
    from numba.core import caching, dispatcher

    _config.update(dir=os.path.abspath(cache_dir), background=background, installed=True)
    os.makedirs(os.path.join(_config["dir"], CLAIMS), exist_ok=True)
    load, compile_ = caching.Cache.load_overload, dispatcher.Dispatcher.compile

    def load_overload(self, sig, target_context):
        return _load_or_claim(load, self, sig, target_context)

    def compile(self, sig):
        depth, held = getattr(_local, "depth", 0), _held()
        mark = len(held)
        _local.depth = depth + 1
        try:
            return compile_(self, sig)
        finally:
            _local.depth = depth
            while len(held) > mark:  # compiled and saved, or failed: let the other one go on
                _release(held.pop())

    caching.Cache.load_overload = load_overload
    dispatcher.Dispatcher.compile = compile


def release_all_of(pid, cache_dir):
    """Removes the claims a (now ended) process left in `cache_dir`."""
    folder = os.path.join(os.path.abspath(cache_dir), CLAIMS)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        try:
            with open(path) as f:
                owner = f.read().strip()
        except OSError:
            continue
        if owner == str(pid):
            _release(path)
