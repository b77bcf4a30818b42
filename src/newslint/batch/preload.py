"""A Dask worker preload for the local cluster of ``newslint corpus run``: Ctrl-C is the client's.

The local workers share the terminal's process group, so Ctrl-C reaches them too and each would
print a traceback; they ignore it instead, and the client, which catches it, closes them.
"""

from __future__ import annotations

import signal
import threading
from typing import Any


def dask_setup(worker: Any) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
