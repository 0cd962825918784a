"""`get_file`: download a file once into a local cache, check its hash, optionally extract it.

Files land in `$MINIKERAS_HOME/<cache_subdir>/` (default `~/.minikeras/datasets/`). A download
goes to `<file>.part` beside its final place; only a complete file whose hash matches is fsynced
and renamed (`os.replace`) to the cached name, so an interrupted or corrupted download never
passes for a cached file. An interrupted download keeps its `.part` file and the next call asks
the server for the rest (an HTTP `Range` request); give `file_hash`, or a resumed file is
trusted as it is. Two processes downloading the same file at once share the `.part` file: the
hash check then rejects a mixed result. Archives are extracted into a temporary
directory, then renamed into place (or moved into an existing extraction directory, replacing
only same-named files); members with absolute paths, `..` or links leading out of
the directory are refused. File names, given as `fname` or taken from the URL, must be plain
names (not `.`, `..`, empty, or containing a separator or NUL), so nothing outside the cache
directory is ever written or removed. Only `urllib` from the standard library talks to the network.
"""

import hashlib
import os
import posixpath
import re
import shutil
import tempfile
import urllib.parse

# urllib.request, http.client, tarfile and zipfile are imported where used: they would add
# tens of milliseconds (ssl, email) to `import minikeras`.

_CHUNK = 1 << 16
_TIMEOUT = 60  # seconds without data before a download is given up (and can be resumed)


class DownloadError(OSError):
    """A file could not be fetched (offline, refused, HTTP error or cut-off connection)."""


def minikeras_home():
    """The cache root: `$MINIKERAS_HOME` if set, else `~/.minikeras`."""
    return os.path.expanduser(os.environ.get("MINIKERAS_HOME") or os.path.join("~", ".minikeras"))


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Downloads a file from a URL unless it is already in the cache; returns its local path.

    Args:
        fname: local file name; default the last part of `origin`'s path. With `extract`, a
            name without a dot names the extraction directory (the archive is kept as
            `<fname>_archive`); a name with a dot is the archive's name and the files go to
            `<name up to the first dot>_extracted`.
        origin: the URL of the file.
        untar: deprecated spelling of `extract=True, archive_format="tar"`.
        md5_hash: deprecated spelling of `file_hash=..., hash_algorithm="md5"`.
        file_hash: the expected SHA-256 (or md5) hex digest of the downloaded file.
        cache_subdir: the subdirectory of the cache root (an absolute path is used as is).
        hash_algorithm: `"auto"` (SHA-256 for 64-digit hashes, else md5), `"sha256"` or `"md5"`.
        extract: extract the downloaded tar or zip archive.
        archive_format: `"auto"` (`["tar", "zip"]`), `"tar"`, `"zip"`, a list of those, or None.
        cache_dir: the cache root instead of `$MINIKERAS_HOME` or `~/.minikeras`.
        force_download: download again even if the file is cached.

    Returns:
        The path of the file, or of the extraction directory when extracting.

    >>> import minikeras as keras
    >>> keras.utils.get_file()
    Traceback (most recent call last):
    ...
    ValueError: get_file: please give `origin`, the URL to download. Received: origin=None
    """
    if origin is None:
        raise ValueError(
            "get_file: please give `origin`, the URL to download. Received: origin=None"
        )
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    algorithm = _algorithm(hash_algorithm, file_hash)
    if file_hash is not None:
        file_hash = str(file_hash).strip().lower()
    datadir = _cache_dir(cache_dir, cache_subdir)

    given = fname is not None and os.fspath(fname) != ""
    if given:
        fname = _checked_name(os.fspath(fname), origin, given=True)
    else:
        fname = _checked_name(
            os.path.basename(urllib.parse.urlsplit(origin).path), origin, given=False
        )
    if extract or untar:
        if given and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, fname[: fname.find(".")] + "_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, fname + "_archive")
    else:
        target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(target, file_hash, algorithm):
        print(
            f"A local file was found at {target}, but its {algorithm} hash does not match "
            f"{file_hash} (it is incomplete or outdated); downloading it again."
        )
        download = True
    if download:
        _download(origin, target, file_hash, algorithm, restart=force_download)

    if extract or untar:
        if download or not os.path.isdir(extraction_dir):
            formats = "tar" if untar else archive_format
            if not extract_archive(target, extraction_dir, formats):
                raise ValueError(
                    f"get_file: {target} is not an archive of format {formats!r}, so it "
                    "cannot be extracted. Pass extract=False to keep the file as it is."
                )
        return extraction_dir
    return target


def _checked_name(name, origin, given):
    """`name` if it is one plain file name; else a `ValueError` naming `origin` and `name`.

    The same rules hold whether the name is `fname` or the last part of `origin`'s path: no
    path separator, not empty, not `.` or `..`, no NUL character, no drive. A URL ending in
    `/..` would otherwise make the cache directory itself (or its parent) the target.
    """
    separators = [s for s in (os.sep, os.altsep, "/") if s]
    bad = (
        not name
        or name in (os.curdir, os.pardir)
        or "\0" in name
        or any(s in name for s in separators)
        or os.path.splitdrive(name)[0]
    )
    if not bad:
        return name
    if given:
        raise ValueError(
            "get_file: `fname` must be a plain file name (no path separator, not '.' or '..', "
            "not empty, no NUL character); use `cache_dir` and `cache_subdir` to choose the "
            f"directory. Received: fname={name!r} (origin={origin!r})"
        )
    raise ValueError(
        f"get_file: cannot take a file name from origin={origin!r}: the last part of its path "
        f"is {name!r}, which is not a plain file name (it must not be empty, '.' or '..', or "
        "contain a path separator or NUL character). Please give `fname`."
    )


def _algorithm(hash_algorithm, file_hash):
    if hash_algorithm not in ("auto", "sha256", "md5"):
        raise ValueError(
            "get_file: `hash_algorithm` must be 'auto', 'sha256' or 'md5'. Received: "
            f"hash_algorithm={hash_algorithm!r}"
        )
    if hash_algorithm == "auto":
        return "sha256" if file_hash is not None and len(str(file_hash).strip()) == 64 else "md5"
    return hash_algorithm


def _cache_dir(cache_dir, cache_subdir):
    """`<root>/<cache_subdir>`, created; a temporary directory if the root is not writable."""
    root = minikeras_home() if cache_dir is None else os.path.expanduser(os.fspath(cache_dir))
    datadir = os.path.join(root, cache_subdir)
    try:
        os.makedirs(datadir, exist_ok=True)
        if os.access(datadir, os.W_OK):
            return datadir
    except OSError:
        pass
    datadir = os.path.join(tempfile.gettempdir(), ".minikeras", cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    return datadir


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """The hex digest of a file: `algorithm` is `"sha256"`, `"md5"` or `"auto"` (SHA-256)."""
    hasher = hashlib.md5() if algorithm == "md5" else hashlib.sha256()
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's SHA-256 or md5 digest equals `file_hash` (`"auto"` picks by length)."""
    algorithm = _algorithm(algorithm, file_hash)
    return hash_file(fpath, algorithm, chunk_size) == str(file_hash).strip().lower()


# -- downloading ---------------------------------------------------------------------------------


def _download(origin, target, file_hash, algorithm, restart=False):
    """Fetches `origin` into `target + ".part"`, checks it, then renames it to `target`."""
    import http.client

    part = target + ".part"
    if restart and os.path.exists(part):
        os.remove(part)
    print(f"Downloading data from {origin}")
    try:
        _fetch(origin, part, os.path.basename(target))
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise DownloadError(_offline_message(origin, target, part, file_hash, algorithm, e)) from e
    if file_hash is not None:
        actual = hash_file(part, algorithm)
        if actual != file_hash:
            os.remove(part)
            raise ValueError(
                f"get_file: the file downloaded from {origin} is incomplete or corrupted: its "
                f"{algorithm} hash is {actual}, expected {file_hash}. The bad download was "
                f"deleted and nothing was cached at {target}. Try again; if this persists, "
                "the file at that URL has changed or the connection alters it."
            )
    os.replace(part, target)
    _fsync_dir(os.path.dirname(target))


def _fetch(origin, part, label, retry_range=True):
    """Writes the body of `origin` to `part`, resuming after the bytes already there."""
    import urllib.error
    import urllib.request

    from tqdm.auto import tqdm

    from ..version import __version__

    offset = os.path.getsize(part) if os.path.exists(part) else 0
    request = urllib.request.Request(origin, headers={"User-Agent": f"minikeras/{__version__}"})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=_TIMEOUT)
    except urllib.error.HTTPError as e:
        if e.code == 416 and offset and retry_range:  # the .part file is not a prefix: restart
            e.close()
            os.remove(part)
            return _fetch(origin, part, label, retry_range=False)
        raise
    with response:
        if offset and getattr(response, "status", None) == 206:
            start = re.match(r"bytes\s+(\d+)-", response.headers.get("Content-Range", ""))
            if (start is None or int(start.group(1)) != offset) and retry_range:
                os.remove(part)  # resumed elsewhere than asked: start over
                return _fetch(origin, part, label, retry_range=False)
            if start is None or int(start.group(1)) != offset:
                raise DownloadError(
                    f"the server resumed at {response.headers.get('Content-Range')!r}, not "
                    f"at byte {offset}"
                )
            mode = "ab"
        else:  # a full response (the server ignores ranges, or nothing to resume)
            offset, mode = 0, "wb"
        length = response.headers.get("Content-Length")
        expected = int(length) if length and length.isdigit() else None
        total = None if expected is None else offset + expected
        received = 0
        with (
            open(part, mode) as f,
            tqdm(
                total=total,
                initial=offset,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc=label,
            ) as bar,
        ):
            try:
                while True:
                    chunk = response.read(_CHUNK)
                    if not chunk:
                        break
                    f.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
            finally:  # keep what arrived, on disk, for the next call to resume from
                f.flush()
                os.fsync(f.fileno())
    if expected is not None and received < expected:
        raise DownloadError(f"the connection closed after {offset + received} of {total} bytes")


def _offline_message(origin, target, part, file_hash, algorithm, error):
    import urllib.error

    if isinstance(error, urllib.error.HTTPError):
        reason = f"HTTP Error {error.code}: {error.reason}"
    else:
        reason = getattr(error, "reason", None) or error
    message = (
        f"get_file: could not download {origin} ({reason}). If this machine is offline, "
        f"download that URL elsewhere and place the file at {target}"
    )
    if file_hash is not None:
        message += f" (its {algorithm} hash must be {file_hash})"
    message += "; a file found there is used without connecting."
    if os.path.exists(part) and os.path.getsize(part):
        message += (
            f" The {os.path.getsize(part)} bytes received so far are kept in {part}; the next "
            "call resumes from there."
        )
    return message


def _fsync_dir(path):
    """Makes a rename in `path` durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- extraction ----------------------------------------------------------------------------------


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (plain, gz, bz2, xz) or zip archive into the directory `path`.

    Members are checked first: an absolute path, a `..` component, a link leading outside
    `path` or a device file makes it raise `ValueError` and extract nothing. The files go to a
    temporary directory beside `path`; once complete it is renamed to `path`, or, if `path`
    already exists (e.g. the default `"."`), its contents are moved into it: members replace
    files of the same name, as with Keras and `tar -x`, and nothing else there is removed. The
    only directory this function ever deletes is its own temporary one.

    Returns:
        True if the archive matched one of the formats and was extracted, else False.
    """
    import tarfile
    import zipfile

    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    file_path, path = os.fspath(file_path), os.fspath(path)
    for kind in archive_format:
        if kind not in ("tar", "zip"):
            raise ValueError(
                f"extract_archive: `archive_format` must be 'auto', 'tar', 'zip', a list of "
                f"those, or None. Received: {kind!r}"
            )
        is_match = tarfile.is_tarfile if kind == "tar" else zipfile.is_zipfile
        if not is_match(file_path):
            continue
        full = os.path.abspath(path)
        if os.path.isdir(full):  # extract next to the files it joins (the parent may be locked)
            parent, prefix = full, ".extracting."
        else:
            parent, prefix = os.path.dirname(full), os.path.basename(full)[:200] + "."
            os.makedirs(parent, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=parent)
        try:
            if kind == "tar":
                with tarfile.open(file_path) as archive:
                    _extract_tar(archive, tmp, file_path)
            else:
                with zipfile.ZipFile(file_path) as archive:
                    for name in archive.namelist():
                        _check_name(name, file_path)
                    archive.extractall(tmp)
            if os.path.lexists(path):
                _merge_into(tmp, path, file_path)
            else:
                os.replace(tmp, path)
                tmp = None
        finally:  # only ever the directory this call made, and only if it was not renamed
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        return True
    return False


def _merge_into(src, dest, archive):
    """Moves the extracted tree `src` into the existing directory `dest`, as `tar -x` would.

    Archive members replace files of the same name; nothing else in `dest` is touched. A member
    whose place is taken by a directory (or a directory member whose place is a file) raises.
    """
    if not os.path.isdir(dest):
        raise ValueError(
            f"Cannot extract {archive} into {dest}: it exists and is not a directory. "
            "Nothing was removed; choose another extraction path."
        )
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        target_root = dest if rel == os.curdir else os.path.join(dest, rel)
        for name in list(dirs):
            source, target = os.path.join(root, name), os.path.join(target_root, name)
            if os.path.islink(source):  # a link to a directory moves as a link
                dirs.remove(name)
                files.append(name)
            elif os.path.lexists(target) and not os.path.isdir(target):
                raise ValueError(
                    f"Cannot extract {archive} into {dest}: the directory member "
                    f"{os.path.join(rel, name)!r} would replace the file {target}."
                )
            else:
                os.makedirs(target, exist_ok=True)
        for name in files:
            source, target = os.path.join(root, name), os.path.join(target_root, name)
            if os.path.isdir(target) and not os.path.islink(target):
                raise ValueError(
                    f"Cannot extract {archive} into {dest}: the member "
                    f"{os.path.join(rel, name)!r} would replace the directory {target}."
                )
            os.replace(source, target)


def _check_name(name, archive):
    """Refuses absolute member names (`/x`, `C:x`, `\\\\x`) and names with a `..` component."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        raise ValueError(
            f"Refusing to extract {archive}: the member {name!r} would be written outside the "
            "extraction directory (absolute path or '..'). The archive is unsafe; nothing "
            "was extracted."
        )


def _extract_tar(archive, dest, file_path):
    import tarfile

    members = archive.getmembers()
    for m in members:
        _check_name(m.name, file_path)
        if m.issym() or m.islnk():
            base = posixpath.dirname(m.name) if m.issym() else ""
            link = posixpath.normpath(posixpath.join(base, m.linkname))
            if m.linkname.startswith("/") or link == ".." or link.startswith("../"):
                raise ValueError(
                    f"Refusing to extract {file_path}: the link {m.name!r} -> {m.linkname!r} "
                    "points outside the extraction directory. Nothing was extracted."
                )
            if not hasattr(tarfile, "data_filter"):  # no realpath-aware filter on this Python
                raise ValueError(
                    f"Refusing to extract {file_path}: it contains the link {m.name!r}, and this "
                    "Python's tarfile cannot check links safely (needs 3.8.17, 3.9.17, 3.10.12, "
                    "3.11.4, 3.12 or later)."
                )
        elif not (m.isfile() or m.isdir()):
            raise ValueError(
                f"Refusing to extract {file_path}: the member {m.name!r} is a device, fifo or "
                "other special file. Nothing was extracted."
            )
    if hasattr(tarfile, "data_filter"):
        try:
            archive.extractall(dest, members=members, filter="data")
        except tarfile.FilterError as e:
            raise ValueError(f"Refusing to extract {file_path}: {e}") from e
    else:
        archive.extractall(dest, members=members)
