"""Helpers of the event tests: emitting events, spare ports, a Redis server a test controls."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import redis
from sqlalchemy import Engine
from sqlmodel import Session

from api.events.bus import EventBus
from api.events.hooks import attach_bus
from api.events.service import emit


def emit_event(
    engine: Engine,
    *,
    bus: EventBus | None = None,
    number: str = "ZD-000001",
    status: str = "new",
    type: str = "ticket.created",
    queue_key: str | None = "talent",
    enterprise_id: int | None = None,
    requester_id: int | None = 1,
    internal: bool = False,
    hold: float = 0.0,
) -> int:
    """Commit one event (holding the transaction open `hold` seconds first); return its id."""
    with Session(engine) as session:
        if bus is not None:
            attach_bus(session, bus)
        event = emit(
            session,
            type=type,
            ticket_number=number,
            status=status,
            queue_key=queue_key,
            enterprise_id=enterprise_id,
            requester_id=requester_id,
            internal=internal,
        )
        session.flush()
        event_id = event.id
        assert event_id is not None
        if hold:
            time.sleep(hold)
        session.commit()
    return event_id


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A throw-away redis-server on a loopback port that a test may stop and start again."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it and wait until it answers PING."""
        self._process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self._workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            raise RuntimeError(f"redis-server on port {self.port} did not start")
        client.close()

    def stop(self) -> None:
        """Kill it (SIGKILL: an outage, not a shutdown)."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None
