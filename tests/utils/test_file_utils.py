"""get_file against a local HTTP server: caching, hashes, resuming, offline errors, extraction."""

import hashlib
import io
import os
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "datasets"))
from http_server import FileServer, refused_url

from minikeras.utils import get_file
from minikeras.utils.file_utils import DownloadError, extract_archive

DATA = bytes(range(256)) * 1000  # 256,000 bytes: several read chunks
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def server():
    with FileServer() as s:
        s.files["data.bin"] = DATA
        yield s


def make_tar(members, mode="w:gz"):
    """A tar archive: members are (name, bytes) files or (name, None, linkname) symlinks."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tar:
        for name, data, *link in members:
            info = tarfile.TarInfo(name)
            if link:
                info.type, info.linkname = tarfile.SYMTYPE, link[0]
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def make_zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def test_download_then_cache_hit(server, tmp_path):
    path = get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    assert path == str(tmp_path / "datasets" / "data.bin")
    assert Path(path).read_bytes() == DATA
    assert os.listdir(tmp_path / "datasets") == ["data.bin"]  # no .part left behind
    again = get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    assert again == path and server.hits("data.bin") == 1  # the second call never connects


def test_cache_root_from_env_and_name_from_url(server, tmp_path, monkeypatch):
    monkeypatch.setenv("MINIKERAS_HOME", str(tmp_path / "home"))
    path = get_file(origin=server.url + "data.bin", cache_subdir="sub")
    assert path == str(tmp_path / "home" / "sub" / "data.bin")


def test_md5_hashes_accepted(server, tmp_path):
    md5 = hashlib.md5(DATA).hexdigest()
    assert Path(get_file("a", server.url + "data.bin", md5_hash=md5, cache_dir=tmp_path))
    assert Path(get_file("b", server.url + "data.bin", file_hash=md5, cache_dir=tmp_path))
    get_file(
        "c",
        server.url + "data.bin",
        file_hash=SHA.upper(),
        hash_algorithm="sha256",
        cache_dir=tmp_path,
    )


def test_hash_mismatch_caches_nothing(server, tmp_path):
    wrong = "0" * 64
    with pytest.raises(ValueError) as info:
        get_file("data.bin", server.url + "data.bin", file_hash=wrong, cache_dir=tmp_path)
    message = str(info.value)
    assert wrong in message and SHA in message  # expected and actual hashes
    assert os.listdir(tmp_path / "datasets") == []


def test_stale_cached_file_is_replaced(server, tmp_path):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "data.bin").write_bytes(b"old version")
    path = get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    assert Path(path).read_bytes() == DATA and server.hits("data.bin") == 1


def test_interrupted_download_then_resume(server, tmp_path):
    server.cut_after["data.bin"] = 100_000
    with pytest.raises(OSError) as info:
        get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    assert isinstance(info.value, DownloadError) and "100000" in str(info.value)
    part = tmp_path / "datasets" / "data.bin.part"
    assert not (tmp_path / "datasets" / "data.bin").exists()
    assert part.read_bytes() == DATA[:100_000]
    path = get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    assert Path(path).read_bytes() == DATA and not part.exists()
    assert server.requests[-1] == ("data.bin", "bytes=100000-")  # only the rest was fetched


def test_resume_when_server_ignores_ranges(server, tmp_path):
    server.cut_after["data.bin"], server.ranges = 5000, False
    with pytest.raises(DownloadError):
        get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    path = get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    assert Path(path).read_bytes() == DATA  # a 200 answer restarts from byte 0


def test_oversized_part_file_restarts(server, tmp_path):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "data.bin.part").write_bytes(b"x" * (len(DATA) + 10))
    path = get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    assert Path(path).read_bytes() == DATA  # 416 from the server, then a full download


def test_offline_without_cache_names_url_and_place(tmp_path):
    url = refused_url() + "data.bin"
    with pytest.raises(DownloadError) as info:
        get_file("data.bin", url, file_hash=SHA, cache_dir=tmp_path)
    message = str(info.value)
    assert url in message and str(tmp_path / "datasets" / "data.bin") in message
    assert SHA in message


def test_offline_with_cache_works(server, tmp_path):
    get_file("data.bin", server.url + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    path = get_file("data.bin", refused_url() + "data.bin", file_hash=SHA, cache_dir=tmp_path)
    assert Path(path).read_bytes() == DATA


def test_http_error_and_force_download(server, tmp_path):
    with pytest.raises(DownloadError, match="404"):
        get_file("missing.bin", server.url + "missing.bin", cache_dir=tmp_path)
    get_file("data.bin", server.url + "data.bin", cache_dir=tmp_path)
    get_file("data.bin", server.url + "data.bin", cache_dir=tmp_path, force_download=True)
    assert server.hits("data.bin") == 2


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="origin"):
        get_file("x")
    with pytest.raises(ValueError, match="fname"):
        get_file("sub/x.bin", "http://127.0.0.1:1/x.bin", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="hash_algorithm"):
        get_file("x", "http://127.0.0.1:1/x", file_hash="ab", hash_algorithm="sha1")


def test_extract_tar_named_with_and_without_suffix(server, tmp_path):
    server.files["arc.tar.gz"] = make_tar([("top/a.txt", b"A"), ("top/sub/b.txt", b"B")])
    out = get_file("arc.tar.gz", server.url + "arc.tar.gz", extract=True, cache_dir=tmp_path)
    assert out == str(tmp_path / "datasets" / "arc_extracted")
    assert (Path(out) / "top" / "sub" / "b.txt").read_bytes() == b"B"
    assert (tmp_path / "datasets" / "arc.tar.gz").exists()
    out = get_file("mydir", server.url + "arc.tar.gz", untar=True, cache_dir=tmp_path)
    assert out == str(tmp_path / "datasets" / "mydir")
    assert (Path(out) / "top" / "a.txt").read_bytes() == b"A"
    assert (tmp_path / "datasets" / "mydir_archive").exists()


def test_extract_zip(server, tmp_path):
    server.files["z.zip"] = make_zip([("d/x.txt", b"xyz")])
    out = get_file(origin=server.url + "z.zip", extract=True, cache_dir=tmp_path)
    assert out == str(tmp_path / "datasets" / "z.zip")  # Keras's naming without fname
    assert (Path(out) / "d" / "x.txt").read_bytes() == b"xyz"


@pytest.mark.parametrize(
    "members",
    [
        [("ok.txt", b"1"), ("../evil.txt", b"2")],
        [("a/../../evil.txt", b"2")],
        [("/tmp/evil.txt", b"2")],
        [("link", None, "../../outside")],
        [("link", None, "/etc/passwd")],
        [("b", None, "."), ("b/c", None, "..")],  # lexically inside, really outside
    ],
)
def test_unsafe_tar_is_refused(tmp_path, members):
    archive = tmp_path / "bad.tar"
    archive.write_bytes(make_tar(members, mode="w"))
    dest = tmp_path / "out" / "dest"
    with pytest.raises(ValueError, match="Refusing"):
        extract_archive(archive, dest)
    assert not dest.exists() and os.listdir(tmp_path / "out") == []  # nothing extracted
    assert not (tmp_path / "evil.txt").exists()


def test_unsafe_zip_is_refused(tmp_path):
    archive = tmp_path / "bad.zip"
    archive.write_bytes(make_zip([("../evil.txt", b"x")]))
    with pytest.raises(ValueError, match="Refusing"):
        extract_archive(archive, tmp_path / "dest")
    assert not (tmp_path / "dest").exists() and not (tmp_path / "evil.txt").exists()


def test_symlink_inside_archive_is_allowed(tmp_path):
    archive = tmp_path / "ok.tar"
    archive.write_bytes(make_tar([("d/real.txt", b"r"), ("d/alias.txt", None, "real.txt")], "w"))
    assert extract_archive(archive, tmp_path / "dest")
    assert (tmp_path / "dest" / "d" / "alias.txt").read_bytes() == b"r"


def test_extract_non_archive_raises(server, tmp_path):
    with pytest.raises(ValueError, match="not an archive"):
        get_file("data.bin", server.url + "data.bin", extract=True, cache_dir=tmp_path)


# -- names and what may be removed (reliability issue, item 1) ------------------------------------


@pytest.mark.parametrize("tail", ["arc/..", "arc/."])
def test_name_from_url_is_validated_like_fname(server, tmp_path, tail):
    """A URL ending in `/..` or `/.` once named the extraction directory `<cache>/datasets/..`,
    which was then replaced (removed with everything in it). Keras 3 also refuses `.`/`..`
    taken from the URL; here the error names the origin and the derived name, and nothing in
    the cache root is touched."""
    server.files[tail] = make_tar([("a.txt", b"A")])
    keep = tmp_path / "keep.txt"
    keep.write_text("mine")
    origin = server.url + tail
    with pytest.raises(ValueError, match="cannot take a file name") as info:
        get_file(origin=origin, extract=True, cache_dir=tmp_path)
    assert origin in str(info.value) and repr(tail.split("/")[-1]) in str(info.value)
    assert keep.read_text() == "mine"
    assert server.hits(tail) == 0  # refused before any download


@pytest.mark.parametrize("fname", [".", "..", "a\0b", "a/b", os.sep + "abs"])
def test_bad_fname_refused(tmp_path, fname):
    with pytest.raises(ValueError, match="plain file name") as info:
        get_file(fname, "http://127.0.0.1:1/x.tar", extract=True, cache_dir=tmp_path)
    assert "http://127.0.0.1:1/x.tar" in str(info.value)
    assert os.listdir(tmp_path / "datasets") == []


def test_url_without_name_refused(tmp_path):
    with pytest.raises(ValueError, match="Please give `fname`"):
        get_file(origin="http://127.0.0.1:1/", cache_dir=tmp_path)


def test_extract_archive_into_working_directory_keeps_other_files(tmp_path, monkeypatch):
    """`extract_archive(file)` extracts into `"."` (Keras's default): it used to replace the
    whole working directory. Now members are added and same-named files replaced, as
    `tar -x` and Keras do; the user's other files stay."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "script.py").write_text("print('mine')")
    (work / "d").mkdir()
    (work / "d" / "old.txt").write_text("old")
    (work / "d" / "x.txt").write_text("to be replaced")
    archive = tmp_path / "a.tar"
    archive.write_bytes(make_tar([("d/x.txt", b"new"), ("y.txt", b"Y")], "w"))
    monkeypatch.chdir(work)
    assert extract_archive(str(archive))
    assert (work / "script.py").read_text() == "print('mine')"
    assert (work / "d" / "old.txt").read_text() == "old"
    assert (work / "d" / "x.txt").read_bytes() == b"new"
    assert (work / "y.txt").read_bytes() == b"Y"
    assert sorted(os.listdir(work)) == ["d", "script.py", "y.txt"]  # no temp dir left


def test_reextraction_keeps_files_it_did_not_write(server, tmp_path):
    """A new download (`force_download`) extracts into the existing directory without first
    deleting it (Keras 3 also extracts over it): files the user put there survive."""
    server.files["arc.tar"] = make_tar([("a.txt", b"A")], "w")
    out = Path(get_file("arc.tar", server.url + "arc.tar", extract=True, cache_dir=tmp_path))
    (out / "notes.txt").write_text("mine")
    server.files["arc.tar"] = make_tar([("a.txt", b"A2")], "w")
    again = get_file(
        "arc.tar", server.url + "arc.tar", extract=True, cache_dir=tmp_path, force_download=True
    )
    assert Path(again) == out
    assert (out / "a.txt").read_bytes() == b"A2" and (out / "notes.txt").read_text() == "mine"


def test_extract_over_a_file_refuses_and_removes_nothing(tmp_path):
    archive = tmp_path / "a.tar"
    archive.write_bytes(make_tar([("y.txt", b"Y")], "w"))
    (tmp_path / "dest").write_text("a file")
    with pytest.raises(ValueError, match="not a directory"):
        extract_archive(archive, tmp_path / "dest")
    assert (tmp_path / "dest").read_text() == "a file"
    assert sorted(os.listdir(tmp_path)) == ["a.tar", "dest"]
