"""Child processes the kiosk starts (the demo portal simulator, espeak-ng) and test peers.

Two rules for every one of them: it dies with its parent, even one killed by SIGKILL, so
nothing is left holding a port or a socket; and stopping it is polite first (SIGTERM,
a grace period) and firm after (SIGKILL).
"""

from __future__ import annotations

import ctypes
import signal
import subprocess

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """``preexec_fn`` for a child: SIGTERM when the parent dies (Linux prctl).

    The signal follows the *thread* that forked the child: start long-lived children from
    a thread that lives as long as the parent (the main thread)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def stop(process: subprocess.Popen | None, grace_s: float = 10.0) -> None:
    """Ask a child to end, wait ``grace_s``, then kill it; nothing if it already ended."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def return_freed_memory() -> None:
    """Give heap pages freed by Python and C++ back to the system: glibc keeps them, and the
    kiosk's resident memory crept up over hundreds of sessions otherwise."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return
    libc.malloc_trim(0)
