"""Restart backoff (pure) and the supervisor's restarts, on real short-lived processes and a fake clock."""

from __future__ import annotations

import subprocess
import sys

from services.common.supervise import RestartBackoff, Supervisor


def test_backoff_doubles_from_one_second_up_to_thirty():
    backoff = RestartBackoff()
    assert [backoff.next_delay(ran_for=0.5) for _ in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]


def test_backoff_starts_again_at_one_second_after_a_stable_run():
    backoff = RestartBackoff(stable_after=60)
    assert [backoff.next_delay(ran_for=1) for _ in range(3)] == [1, 2, 4]
    assert backoff.next_delay(ran_for=61) == 1
    assert backoff.next_delay(ran_for=1) == 2


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Starter:
    """Starts `python -c <code>` and keeps every process it started."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.processes: list[subprocess.Popen] = []

    def __call__(self) -> subprocess.Popen:
        self.processes.append(subprocess.Popen([sys.executable, "-c", self.code]))
        return self.processes[-1]


def test_an_exited_service_is_restarted_only_after_its_backoff():
    clock, start = FakeClock(), Starter("raise SystemExit(70)")
    supervisor = Supervisor({"processor": start}, clock=clock)
    supervisor.start_all()
    start.processes[-1].wait()
    supervisor.check()               # notices the exit: restart due at 1 s
    clock.now = 0.9
    supervisor.check()
    assert len(start.processes) == 1 and supervisor.restarts == 0
    clock.now = 1.0
    supervisor.check()
    assert len(start.processes) == 2 and supervisor.restarts == 1
    start.processes[-1].wait()
    supervisor.check()               # second exit, 0 s after the restart: next delay is 2 s
    clock.now = 2.9
    supervisor.check()
    assert len(start.processes) == 2
    clock.now = 3.0
    supervisor.check()
    assert len(start.processes) == 3


def test_a_service_stopped_on_purpose_is_not_restarted():
    clock, start = FakeClock(), Starter("import time; time.sleep(60)")
    supervisor = Supervisor({"ingest": start}, clock=clock)
    supervisor.start_all()
    supervisor.stop("ingest")
    clock.now = 100
    supervisor.check()
    assert supervisor.restarts == 0 and len(start.processes) == 1
    assert start.processes[0].returncode is not None
