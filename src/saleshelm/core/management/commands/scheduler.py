"""``saleshelm scheduler``: enqueue the periodic jobs (daily signals, weekly digests,
nightly rollups...) when their slot comes. Run one per deployment; a second one is harmless
(each slot is taken once, see saleshelm.core.scheduler). The work itself runs in the worker.
"""

from __future__ import annotations

import signal
import time

from django.db import close_old_connections
from django.utils import timezone

from saleshelm.core import scheduler
from saleshelm.core.management.base import SaleshelmCommand

MAX_SLEEP_SECONDS = 60.0


class Command(SaleshelmCommand):
    help = "Enqueue periodic jobs when they are due (loops until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="enqueue what is due now, then exit")  # fmt: skip
        parser.add_argument("--list", action="store_true", help="list the jobs and exit")

    def run(self, *args, **opts):
        jobs = scheduler.jobs()
        if opts["list"]:
            now = timezone.now()
            for job in jobs:
                nxt = timezone.localtime(job.schedule.next_slot(now))
                self.stdout.write(
                    f"{job.name:<36} {job.schedule.describe():<24} next {nxt:%Y-%m-%d %H:%M %Z}"
                    f"  {job.task_path}"
                )
            return
        if opts["once"]:
            if self._pass(quiet_when_idle=False):
                self.stderr.write("saleshelm: some jobs could not be enqueued (see above)")
                raise SystemExit(1)
            return
        self.stdout.write(f"Scheduler running {len(jobs)} jobs; Ctrl+C to stop.")
        stop = {"now": False}

        def _stop(signum, frame):
            stop["now"] = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        self._pass()
        while not stop["now"]:
            wake = scheduler.next_wakeup()
            delay = MAX_SLEEP_SECONDS
            if wake is not None:
                delay = min(delay, max(0.5, (wake - timezone.now()).total_seconds()))
            slept = 0.0
            while slept < delay and not stop["now"]:
                time.sleep(min(0.5, delay - slept))
                slept += 0.5
            if stop["now"]:
                break
            close_old_connections()
            self._pass()
        self.stdout.write("Scheduler stopped.")

    def _pass(self, *, quiet_when_idle: bool = True) -> int:
        failures = 0
        done = scheduler.enqueue_due()
        if not done and not quiet_when_idle:
            wake = scheduler.next_wakeup()
            later = f"; next slot {timezone.localtime(wake):%Y-%m-%d %H:%M %Z}" if wake else ""
            self.stdout.write(f"Nothing due{later}.")
        for item in done:
            slot = timezone.localtime(item.slot)
            if item.error:
                failures += 1
                self.stderr.write(
                    f"{item.job.name}: slot {slot:%Y-%m-%d %H:%M} failed: {item.error}"
                )
            else:
                self.stdout.write(
                    f"Enqueued {item.job.name} for {slot:%Y-%m-%d %H:%M %Z} (task {item.task_result_id})"
                )
        self.stdout.flush()
        return failures
