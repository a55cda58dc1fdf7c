"""A lease in the database naming the one replica that runs a scheduled job.

Every replica shares the database already, so the lease needs nothing else (no Redis). A holder
renews it on each tick; another replica takes it once it expired (the holder died) or was released
(the holder stopped). The job's writes are idempotent besides (unique alert rows, conditional
updates), so even two replicas that both believed they held it would alert once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from api.supervision.models import JobLease

_EXPIRED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def acquire_lease(*, session: Session, name: str, owner: str, ttl: dt.timedelta, now: dt.datetime) -> bool:
    """Take or renew the lease `name` for `owner` until `now + ttl`; False while another owner holds it."""
    lease = session.exec(select(JobLease).where(JobLease.name == name).with_for_update()).first()
    if lease is None:
        try:
            with session.begin_nested():
                session.add(JobLease(name=name, owner=owner, expires_at=now + ttl))
        except IntegrityError:  # another replica created it first
            return False
        return True
    if lease.owner != owner and lease.expires_at > now:
        return False
    lease.owner, lease.expires_at = owner, now + ttl
    session.add(lease)
    return True


def release_lease(*, session: Session, name: str, owner: str) -> None:
    """Give the lease up at once, if `owner` holds it."""
    session.exec(
        update(JobLease)
        .where(col(JobLease.name) == name, col(JobLease.owner) == owner)
        .values(expires_at=_EXPIRED)
        .execution_options(synchronize_session=False)
    )
