"""The one way any command writes an events file: atomically, and never over edits it has not seen.

Every command that changes ``events.yaml`` (``new``, ``copy``, ``archive``, ``links --write``,
``import``) goes through here. Two rules keep an editor's work safe:

* **Atomic.** The new text goes to a temporary file beside the old one, is flushed to disk,
  and replaces the old file in one rename: a reader, or a crash, sees the old file or the new
  one, never half of either.
* **Nothing lost.** A command remembers the exact bytes it started from (a ``Snapshot``).
  Just before replacing the file it reads it again; if the bytes differ (the editor saved, or
  another command wrote), it refuses with ``ChangedMeanwhile`` and writes nothing. Commands
  that run long (archiving, link checks) work from their results and call ``update`` at the
  end, which re-reads the file and applies the change to what is there now.

Concurrent writers that both use this module are serialised by an advisory lock on the file,
so the check and the rename of one cannot interleave with another's.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

try:
    import fcntl
except ImportError:  # pragma: no cover - not a Unix: the re-read check still holds
    fcntl = None


class ChangedMeanwhile(Exception):
    """The file changed after the command read it; nothing was written."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"{path} changed while this command was running (saved in an editor, or written "
            "by another command), so nothing was written and your edits are kept. Run the "
            "command again.")


@dataclass(frozen=True)
class Snapshot:
    """The exact bytes of a file as a command read them."""

    path: Path
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_snapshot(path: str | Path) -> Snapshot:
    """Read ``path`` once; raises OSError when it cannot be read."""
    path = Path(path)
    return Snapshot(path, path.read_bytes())


@contextmanager
def _locked(path: Path):
    """Hold an advisory lock on the file while it is compared and replaced."""
    if fcntl is None or not path.exists():
        yield
        return
    with open(path, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _replace(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash right after it keeps the new file)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # some systems cannot open a folder; the rename is still atomic
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def replace_if_unchanged(snapshot: Snapshot, text: str) -> None:
    """Replace the file with ``text`` if it still holds the snapshot's bytes.

    Raises ChangedMeanwhile, writing nothing, when it does not. A file that did not exist
    when the snapshot was taken is expected still not to exist (``Snapshot(path, b"")``
    stands for a new file only when ``path`` is absent).
    """
    path = snapshot.path
    with _locked(path):
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            current = None
        expected_absent = snapshot.data == b"" and current is None
        if current != snapshot.data and not expected_absent:
            raise ChangedMeanwhile(path)
        _replace(path, text.encode("utf-8"))


def update(path: str | Path, edit: Callable[[str], str]) -> str:
    """Apply ``edit`` to the file as it is now and write the result; return the new text.

    For long jobs: they gather their results first, then call this, so the change is made to
    what the file holds at the end, not to what it held when the job started. ``edit`` may
    raise to refuse; then nothing is written. When ``edit`` changes nothing, the file is not
    touched.
    """
    snapshot = read_snapshot(path)
    new_text = edit(snapshot.text)
    if new_text != snapshot.text:
        replace_if_unchanged(snapshot, new_text)
    return new_text
