"""Messages are data: every pass, the reader, the validator and the exporters report through
`Message` objects; only the CLI renders them (as text or JSON)."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field


class Severity(enum.IntEnum):
    """Reporter levels, as in docutils: the CLI decides what to show and where to halt."""

    DEBUG = 0
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Message:
    """One finding: what kind, how bad, where (file, line, column, XPath) and what to do."""

    kind: str
    severity: Severity
    text: str
    file: str = ""
    line: int = 0
    column: int = 0
    xpath: str = ""
    hint: str = ""
    rule: str = ""

    def render(self) -> str:
        """`file:line:col: severity: text [rule]` (the format of compilers and linters)."""
        where = self.file or "-"
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        out = f"{where}: {self.severity}: {self.text}"
        if self.rule:
            out += f" [{self.rule}]"
        return out

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Message:
        """The message `as_dict` gave."""
        return cls(**{**data, "severity": Severity[str(data["severity"]).upper()]})


class TrotskyTeiError(Exception):
    """An error the user can act on. Carries one Message; the CLI prints it on one line, exit 1."""

    exit_code = 1

    def __init__(self, message: Message):
        super().__init__(message.render())
        self.message = message


def error(kind: str, text: str, *, file: str = "", line: int = 0, hint: str = "", **kw) -> TrotskyTeiError:
    """Build an exception for a bad input in one call."""
    return TrotskyTeiError(Message(kind, Severity.ERROR, text, file=file, line=line, hint=hint, **kw))


@dataclass
class Reporter:
    """Collects messages during one run (like docutils' reporter, without printing)."""

    file: str = ""
    messages: list[Message] = field(default_factory=list)

    def add(self, kind: str, severity: Severity, text: str, **kw) -> None:
        kw.setdefault("file", self.file)
        self.messages.append(Message(kind, severity, text, **kw))

    def warning(self, kind: str, text: str, **kw) -> None:
        self.add(kind, Severity.WARNING, text, **kw)

    def info(self, kind: str, text: str, **kw) -> None:
        self.add(kind, Severity.INFO, text, **kw)
