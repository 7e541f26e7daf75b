"""Build the site with MkDocs into a fresh folder, and put it in place only when complete.

A build that fails, or is killed, leaves the previous ``site/`` exactly as it was: MkDocs
writes into a temporary sibling folder, which is swapped with ``site/`` in one atomic
rename once everything is written.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

BUILD_PREFIX = ".site-build-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class BuildFailed(Exception):
    pass


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def publish(built: Path, site_dir: Path) -> None:
    """Move a finished build to ``site_dir``, replacing what was there."""
    if not site_dir.exists():
        os.rename(built, site_dir)
        return
    if _exchange(built, site_dir):
        shutil.rmtree(built)  # now holds the previous site
        return
    previous = site_dir.with_name(f"{BUILD_PREFIX}old-{os.getpid()}")
    os.rename(site_dir, previous)
    os.rename(built, site_dir)
    shutil.rmtree(previous)


def remove_stale_builds(parent: Path) -> None:
    """Folders left by builds that were killed before they could clean up."""
    for stale in parent.glob(BUILD_PREFIX + "*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def build_site(config_file: str = "mkdocs.yml", site_dir: str | None = None,
               strict: bool = True) -> Path:
    """Run a real MkDocs build; return the folder the site was published to."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config = load_config(config_file, strict=strict)
    target = Path(site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(target.parent)
    scratch = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=target.parent))
    try:
        config = load_config(config_file, strict=strict, site_dir=str(scratch))
        build(config)
    except (MkDocsException, SystemExit) as error:
        shutil.rmtree(scratch, ignore_errors=True)
        raise BuildFailed(str(error) or "the build failed") from None
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    publish(scratch, target)
    return target


def serve_site(config_file: str = "mkdocs.yml", address: str = "127.0.0.1:8000") -> None:
    from mkdocs.commands.serve import serve

    serve(config_file=config_file, livereload=True, dev_addr=address)


def configure_logging(verbose: bool) -> None:
    """MkDocs reports through logging; show its warnings (and progress when asked)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start
