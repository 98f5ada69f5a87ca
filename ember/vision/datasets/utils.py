"""Downloading, checksums and archives for the datasets (torchvision.datasets.utils).

A download never leaves a half-written file behind: the bytes are streamed into a hidden
temporary file in the destination folder, hashed on the way, and only an intact file is
renamed to its final name (a rename within one folder is atomic). Without a network the
error says which URL failed and exactly where to put the file by hand."""
import gzip
import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile

USER_AGENT = "pytorch/vision"
_CHUNK = 1 << 20


def calculate_md5(fpath, chunk_size=_CHUNK):
    """The MD5 hex digest of a file, read in chunks (used as a checksum, not for security)."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        while chunk := f.read(chunk_size):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath, md5, **kwargs):
    return md5 == calculate_md5(fpath, **kwargs)


def check_integrity(fpath, md5=None):
    """True if ``fpath`` is a file and, when ``md5`` is given, has that checksum."""
    if not os.path.isfile(fpath):
        return False
    return md5 is None or check_md5(fpath, md5)


def _write_atomically(fpath, fill):
    """Call ``fill(file)`` on a temporary file beside ``fpath``, then rename it to ``fpath``;
    if ``fill`` raises, the temporary file is removed and nothing appears at ``fpath``."""
    folder, name = os.path.split(os.fspath(fpath))
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
        os.replace(tmp, fpath)
    except BaseException:
        os.remove(tmp)
        raise


def _manual_hint(fpath):
    return f"Download it yourself (with a browser or curl), save it as {os.path.abspath(fpath)} and run this again"


def _stream(url, fpath, hash_name="md5", expected=None, progress=False):
    """Download ``url`` to ``fpath`` through a temporary file. The file's ``hash_name`` hex
    digest must start with ``expected`` (a full MD5, or the short SHA-256 prefix that
    PyTorch's checkpoint names carry); a mismatch or a broken connection raises
    ``RuntimeError`` and leaves nothing at ``fpath``."""
    digest = hashlib.new(hash_name, usedforsecurity=False)

    def fill(f):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(request) as response:
                total, done = getattr(response, "length", None), 0
                while chunk := response.read(_CHUNK):
                    f.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress:
                        print(f"\r{os.path.basename(fpath)}: {done / 1e6:.1f}"
                              + (f" / {total / 1e6:.1f}" if total else "") + " MB", end="", file=sys.stderr)
        except (urllib.error.URLError, OSError) as e:
            raise RuntimeError(f"Could not download {url}: no connection to the server ({e}). "
                               f"{_manual_hint(fpath)}.") from e
        finally:
            if progress:
                print(file=sys.stderr)
        if expected is not None and not digest.hexdigest().startswith(expected):
            raise RuntimeError(f"Downloaded {url} but its {hash_name} is {digest.hexdigest()}, expected {expected}: "
                               f"the file is corrupted or was changed. {_manual_hint(fpath)}.")

    _write_atomically(fpath, fill)


def download_url(url, root, filename=None, md5=None, max_redirect_hops=3):
    """Download ``url`` into ``root`` (as ``filename``, default the URL's basename) unless a
    file with the right ``md5`` is already there. Redirects are followed by urllib."""
    root = os.path.expanduser(root)
    fpath = os.path.join(root, filename or os.path.basename(url))
    os.makedirs(root, exist_ok=True)
    if check_integrity(fpath, md5):
        return
    _stream(url, fpath, "md5", md5)


def _decompress(from_path, to_path, opener):
    def fill(f):
        with opener(from_path, "rb") as src:
            shutil.copyfileobj(src, f, _CHUNK)
    _write_atomically(to_path, fill)
    return to_path


def extract_archive(from_path, to_path=None, remove_finished=False):
    """Unpack a ``.tar`` (optionally ``.gz``/``.bz2``/``.xz``), ``.tgz`` or ``.zip`` into
    ``to_path`` (default: the archive's folder), or decompress a plain ``.gz`` file next to
    itself. Tar members that would land outside ``to_path`` (absolute paths, ``..``, links)
    are refused by tarfile's ``data`` filter. Returns ``to_path``."""
    from_path = os.fspath(from_path)
    to_path = os.fspath(to_path) if to_path is not None else os.path.dirname(from_path)
    name = from_path.lower()
    if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz")):
        with tarfile.open(from_path) as tar:
            tar.extractall(to_path, filter="data")
    elif name.endswith(".zip"):
        with zipfile.ZipFile(from_path) as z:  # zipfile drops absolute paths and '..' itself
            z.extractall(to_path)
    elif name.endswith(".gz"):
        _decompress(from_path, os.path.join(to_path, os.path.basename(from_path)[:-3]), gzip.open)
    else:
        raise RuntimeError(f"Archive type of {from_path} is not supported (expected .tar[.gz|.bz2|.xz], .tgz, "
                           ".zip or .gz)")
    if remove_finished:
        os.remove(from_path)
    return to_path


def download_and_extract_archive(url, download_root, extract_root=None, filename=None, md5=None,
                                 remove_finished=False):
    """``download_url`` then ``extract_archive``."""
    download_root = os.path.expanduser(download_root)
    filename = filename or os.path.basename(url)
    download_url(url, download_root, filename, md5)
    extract_archive(os.path.join(download_root, filename), extract_root or download_root, remove_finished)


def iterable_to_str(iterable):
    return "'" + "', '".join(str(item) for item in iterable) + "'"


def verify_str_arg(value, arg=None, valid_values=None, custom_msg=None):
    """Check that ``value`` is a string among ``valid_values``; torchvision's ValueError otherwise."""
    if not isinstance(value, str):
        where = "" if arg is None else f" for argument {arg}"
        raise ValueError(f"Expected type str{where}, but got type {type(value)}.")
    if valid_values is None or value in valid_values:
        return value
    raise ValueError(custom_msg or f"Unknown value '{value}' for argument {arg}. Valid values are "
                                   f"{{{iterable_to_str(valid_values)}}}.")
