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
    get_file("c", server.url + "data.bin", file_hash=SHA.upper(), hash_algorithm="sha256",
             cache_dir=tmp_path)  # fmt: skip


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
