"""Native thread pools of a process (BLAS, OpenMP), sized once at start-up."""

from __future__ import annotations


def limit_native_threads(threads: int) -> None:
    """Cap every BLAS/OpenMP pool loaded so far at `threads`, for the rest of the process.

    OpenBLAS sizes its pool by the machine's cores, not by what the process gets: two processor workers on
    two cores then run four spinning threads, and on a loaded machine the spinning costs more CPU than the
    parallel part saves (a full-text article: 44-54 CPU ms with 2 threads, 27-28 with 1, measured with time.process_time on BASIL full text).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads)
