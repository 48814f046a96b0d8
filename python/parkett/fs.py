"""Where files are: local paths (str or os.PathLike), s3:// URLs with S3 settings, and
in-memory sources (bytes, file objects).

S3 settings come as an ``S3FileSystem`` (pyarrow.fs.S3FileSystem's keyword names, or
parkett's), as ``s3_options=`` (a dict or S3FileSystem), or as fsspec-style
``storage_options`` (Dask). Unset settings follow the AWS conventions (environment,
~/.aws files), as in C++.
"""
import os

from . import _parkett

# parkett's S3Options names, and the other names users bring (pyarrow.fs, fsspec/s3fs).
_S3_NAMES = {
    "region", "endpoint_url", "addressing", "access_key_id", "secret_access_key", "session_token", "profile",
    "anonymous", "sign_payload", "verify_tls", "ca_file", "connect_timeout_ms", "request_timeout_ms",
    "max_concurrent_requests", "max_retries", "retry_base_delay_ms", "retry_max_delay_ms", "retry_budget",
    "part_size", "max_parts_in_flight", "cache_bytes",
}
_ALIASES = {
    "access_key": "access_key_id", "secret_key": "secret_access_key", "endpoint_override": "endpoint_url",
    "key": "access_key_id", "secret": "secret_access_key", "token": "session_token", "anon": "anonymous",
    "region_name": "region", "force_virtual_addressing": None, "scheme": None,
}


class S3FileSystem:
    """S3 settings (pyarrow.fs.S3FileSystem's keywords, or parkett's S3Options names).

    ``endpoint_override`` without a scheme takes ``scheme`` ("https" by default), as in
    pyarrow. Secrets are never shown by repr().
    """

    def __init__(self, **kwargs):
        options = {}
        scheme = kwargs.pop("scheme", "https")
        virtual = kwargs.pop("force_virtual_addressing", None)
        for key, value in kwargs.items():
            name = _ALIASES.get(key, key)
            if name not in _S3_NAMES:
                raise _parkett.InvalidArgumentError(f"unknown S3 option {key!r}")
            options[name] = value
        endpoint = options.get("endpoint_url")
        if endpoint and "://" not in endpoint:
            options["endpoint_url"] = f"{scheme}://{endpoint}"
        if virtual:
            options["addressing"] = "virtual"
        for key in ("connect_timeout", "request_timeout"):
            pass
        self.options = options

    def __repr__(self):
        shown = {k: v for k, v in self.options.items() if k not in ("secret_access_key", "session_token", "access_key_id")}
        return f"S3FileSystem({shown})"

    def __reduce__(self):
        return (_rebuild_s3, (self.options,))


def _rebuild_s3(options):
    fs = S3FileSystem()
    fs.options = dict(options)
    return fs


def from_storage_options(storage_options):
    """fsspec/s3fs-style storage_options (Dask's): key, secret, token, anon, and
    client_kwargs (endpoint_url, region_name) as S3 settings."""
    if not storage_options:
        return None
    options = dict(storage_options)
    client = options.pop("client_kwargs", {}) or {}
    options.update(client)
    return S3FileSystem(**options)


def s3_dict(filesystem=None, s3_options=None):
    """The S3 settings of a filesystem / s3_options argument, as the dict C++ takes."""
    chosen = s3_options if s3_options is not None else filesystem
    if chosen is None:
        return None
    if isinstance(chosen, S3FileSystem):  # S3Options too
        return dict(chosen.options)
    if isinstance(chosen, dict):
        return dict(S3FileSystem(**chosen).options)
    if isinstance(chosen, LocalFileSystem):
        return None
    raise _parkett.InvalidArgumentError(
        f"filesystem must be parkett.S3FileSystem or parkett.LocalFileSystem (fsspec filesystems are not supported), "
        f"got {type(chosen).__name__}")


class S3Options(S3FileSystem):
    """S3 settings by parkett's own names (the C++ S3Options members): the same object as
    S3FileSystem, for ``filesystem=`` or ``s3_options=``."""


class LocalFileSystem:
    """The local disk (the default for paths without a scheme)."""


def path_of(source):
    """A str path for str / os.PathLike sources; None for in-memory sources."""
    if isinstance(source, str):
        return source
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    return None


def is_remote(path):
    return "://" in path and not path.startswith("file://")


def strip_file_scheme(path):
    return path[len("file://"):] if path.startswith("file://") else path
