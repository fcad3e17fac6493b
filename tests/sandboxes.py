"""Sandboxes for tests: seeded once per session, copied for each test, in process by default.

A pytest plugin (see tests/conftest.py). Seeding a sandbox's database costs several times
more than copying it, so ``sandbox_templates`` seeds one database per set of options that
shape the seed data and ``new_sandbox(**options)`` starts each Sandbox from a copy. A test's
sandboxes answer in process (nothing listens; ``sandbox.client()`` and the spec-checking
``zoom_http`` helper use the in-process transport) unless the test is marked ``served``: then
they serve on loopback, for tests about the socket itself (the server, timeouts, dropped
connections, cut bodies, streaming) and tests that talk to the sandbox with plain
``requests`` calls.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typing_extensions import Unpack

from zoom_agent_tools.sandbox import Sandbox, SandboxApp, SandboxOptions
from zoom_agent_tools.sandbox.options import OptionKeywords

NewSandbox = Callable[..., AbstractContextManager[Sandbox]]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "served: the test's sandboxes serve on loopback instead of in process"
    )


class Templates:
    """Seeded databases, one per set of options that shape the seed data."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._paths: dict[tuple[object, ...], str] = {}
        self._lock = threading.Lock()

    def path_for(self, options: SandboxOptions) -> str | None:
        """The seeded database a sandbox with ``options`` starts from (None: seed it anew)."""
        if options.clock is not None or options.db_path is not None or options.template:
            return None
        # On the real clock the data is seeded as of today (UTC): a new day, a new template.
        day = None if options.now is not None else datetime.now(timezone.utc).date()
        key = (options.now, day, options.seed, options.download_file_size)
        with self._lock:
            if key not in self._paths:
                path = self.folder / f"seeded-{len(self._paths)}.sqlite3"
                with SandboxApp(options) as app:
                    app.save(path)
                self._paths[key] = str(path)
            return self._paths[key]


@pytest.fixture(scope="session")
def sandbox_templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(tmp_path_factory.mktemp("sandbox-templates"))


@pytest.fixture
def new_sandbox(request: pytest.FixtureRequest, sandbox_templates: Templates) -> NewSandbox:
    """``with new_sandbox(**options) as sb:`` a Sandbox from a seeded copy, stopped after."""
    serve = request.node.get_closest_marker("served") is not None

    @contextlib.contextmanager
    def new(**options: Unpack[OptionKeywords]) -> Iterator[Sandbox]:
        chosen = SandboxOptions(**options)
        template = sandbox_templates.path_for(chosen)
        sandbox = Sandbox(chosen, template=template) if template else Sandbox(chosen)
        try:
            yield sandbox.start() if serve else sandbox
        finally:
            sandbox.stop()

    return new
