"""A small SSE reader over httpx for the tests, and a uvicorn subprocess harness."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.events.outbox_helpers import free_port

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


@dataclass
class Frame:
    """One SSE frame as a client sees it."""

    id: str | None = None
    event: str | None = None
    data: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def json(self) -> Any:
        return json.loads("\n".join(self.data))


async def frames(response: httpx.Response) -> AsyncIterator[Frame]:
    """Parse the response body into frames (comments included)."""
    frame = Frame()
    async for line in response.aiter_lines():
        if line == "":
            yield frame
            frame = Frame()
        elif line.startswith(":"):
            frame.comments.append(line[1:].strip())
        else:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                frame.data.append(value)
            elif name == "id":
                frame.id = value
            elif name == "event":
                frame.event = value


class EventStream:
    """An open `GET /api/v1/events`: collect its event frames."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._frames = frames(response)
        self.opening: Frame | None = None

    async def read_opening(self, timeout: float = 30) -> Frame:
        """The frame the server opens the stream with (its start id and a note)."""
        async with asyncio.timeout(timeout):
            self.opening = await anext(self._frames)
        return self.opening

    async def next_events(self, count: int, timeout: float = 30) -> list[Frame]:
        """The next `count` frames that carry an event."""
        got: list[Frame] = []
        async with asyncio.timeout(timeout):
            async for frame in self._frames:
                if frame.event is None:
                    self.opening = self.opening or frame
                    continue
                got.append(frame)
                if len(got) == count:
                    break
        return got


@asynccontextmanager
async def open_stream(
    base_url: str, headers: dict[str, str], params: dict[str, str] | None = None
) -> AsyncIterator[EventStream]:
    """Open the event stream with these headers; close it on exit."""
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(30, read=60)) as client,
        client.stream("GET", "/api/v1/events", headers=headers, params=params) as response,
    ):
        assert response.status_code == 200, response.status_code
        yield EventStream(response)


class ApiProcess:
    """`uvicorn --factory api.main:create_app` (the real app, settings from `env`) on a loopback port."""

    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._env = {**os.environ, **env}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it and wait until /healthz answers."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting."""
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "api.main:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--timeout-graceful-shutdown",
                "5",
            ],
            cwd=ROOT,
            env=self._env,
        )

    def wait_ready(self) -> None:
        """Wait until /healthz answers."""
        assert self.process is not None
        deadline = time.monotonic() + 120  # two replicas load the library side by side on a busy CI box
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("uvicorn did not come up")

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, as an orchestrator stops a replica; the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Stop it if it still runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextmanager
def api_processes(count: int, env: dict[str, str]) -> Iterator[list[ApiProcess]]:
    """`count` running API processes on one configuration, started side by side."""
    processes = [ApiProcess(free_port(), env) for _ in range(count)]
    try:
        for process in processes:
            process.launch()
        for process in processes:
            process.wait_ready()
        yield processes
    finally:
        for process in processes:
            process.stop()
