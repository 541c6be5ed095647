"""The worker process running the email job is SIGKILLed mid-job: the job runs again and the email
arrives once (design: acks_late, "not when the worker dies mid-job").

The relay is kept from publishing the job again (its redelivery is out of reach) for the whole
test: only the broker handing the unacknowledged job back can save it.
"""

from __future__ import annotations

import os
import signal

from tests.faults.infra import PrivatePostgres, PrivateRedis
from tests.faults.jobs import sign_up_with_held_email
from tests.faults.outbox import assert_broker_idle, assert_delivered_once, redelivery_out_of_reach
from tests.faults.sockets import smtp_client_pids
from tests.support.live import LiveService
from tests.support.users import unique_email

STALL_SECONDS = 30.0
DELIVERY_DEADLINE_SECONDS = 60.0


def test_killed_worker_process_does_not_lose_or_double_the_email(
    live: LiveService,
    database: PrivatePostgres,
    broker: PrivateRedis,
    welcome_mails: dict[str, str],
) -> None:
    email = unique_email("killed")
    welcome_mails[email] = "Welcome, Survivor!"
    with redelivery_out_of_reach(database.url, email):
        sign_up_with_held_email(live, email=email, name="Survivor", hold=STALL_SECONDS)

        # Exactly the process in the middle of the SMTP dialogue, whatever the worker's pool type.
        running_job = smtp_client_pids(int(live.env["SMTP_PORT"]))
        assert running_job, "no process is connected to the SMTP sink"
        for pid in running_job:
            os.kill(pid, signal.SIGKILL)

        mails = live.inbox.wait_for(email, timeout=DELIVERY_DEADLINE_SECONDS)
        assert mails, (
            f"no email within {DELIVERY_DEADLINE_SECONDS:.0f}s of killing the worker "
            "(the relay was kept away: the broker did not hand the job back)"
        )
        assert_delivered_once(database.url, email)
    assert [m.subject for m in live.inbox.wait_for(email, timeout=0.1)] == [welcome_mails[email]]
    assert_broker_idle(broker.port)
