"""The engine interface every synthesizer implements, and the one error type they raise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable


class TTSError(Exception):
    """A clip could not be made. `retryable`: a later run may succeed (429, 5xx, timeout)."""

    def __init__(self, msg: str, retryable: bool = False, engine: str = "") -> None:
        super().__init__(msg)
        self.msg = msg
        self.retryable = retryable
        self.engine = engine

    def __str__(self) -> str:
        return self.msg


@runtime_checkable
class Synthesizer(Protocol):
    """One engine for one language and speed.

    name        registry name ("gtts", "espeak", ...)
    local       True when it needs no network (only local engines may run inside a request)
    identity()  everything that changes the sound; it is hashed into every clip key
    available() cheap check: binary/model present, circuit breaker closed
    synthesize  speech text -> MP3 bytes, or TTSError
    """

    name: str
    local: bool

    def identity(self) -> dict[str, Any]: ...

    def available(self) -> bool: ...

    def synthesize(self, text: str) -> bytes: ...


class EngineFactory(Protocol):
    """What the registry needs from an engine class."""

    name: str

    def from_config(self, config: Mapping[str, Any], *, lang: str, slow: bool) -> Synthesizer: ...
