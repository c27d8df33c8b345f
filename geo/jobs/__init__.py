"""Background jobs: long work (imports, exports, numbering, renders, backups, partition upkeep)
runs outside the request, in the django-tasks-db worker, with progress, a log, a result and a
cancel button. Apps declare their kinds in their own tasks.py with `register`; web views and
commands call `submit`; job functions call `progress`, `log` and `cancelled`."""

from .registry import JobKind, register
from .service import (
    Cancelled,
    attach_file,
    cancelled,
    cancelled_callback,
    files_dir,
    log,
    progress,
    progress_callback,
    raise_if_cancelled,
    reap_stale,
    request_cancel,
    submit,
)

__all__ = [
    "Cancelled",
    "JobKind",
    "attach_file",
    "cancelled",
    "cancelled_callback",
    "files_dir",
    "log",
    "progress",
    "progress_callback",
    "raise_if_cancelled",
    "reap_stale",
    "register",
    "request_cancel",
    "submit",
]
