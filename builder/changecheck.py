"""The change log (content/changes.yaml) read and checked: each entry's fields, its `see` links, and its times,
which feed readers sort by, so a day that gives one time must give every time. validate.Validator's methods for
it; changelog.py shows the checked entries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from .changelog import atom_time
from .errors import ErrorLog, did_you_mean
from .fields import Record, _items, _raw_id, a_date, a_time, a_time_or_date, an_id, list_of, one_of, text
from .load import Node, RawContent
from .model import CHANGE_KINDS, Change, Citation, PartialDate


class ChangeLogChecks:
    """The change log's checks (validate.Validator keeps the citations, the notes and the errors)."""

    raw: RawContent
    log: ErrorLog
    cite: Callable[..., tuple[Citation, ...]]
    note_later: Callable[..., None]
    unique: Callable[[dict[str, Node], str, Node, str], bool]

    def changes(self) -> tuple[Change, ...]:
        """The change log, newest first: by date, and within a day by the time each was added, else the one
        written last first (the file is kept in the order the entries were written)."""
        found: list[tuple[Change, Node]] = []
        seen: dict[str, Node] = {}
        sees: list[tuple[str | None, Node]] = []
        written: set[str | None] = set()  # every entry's id as written: one that fails is not also unknown to `see`
        for node in _items(self.raw.changes, self.log, "the change log"):
            written.add(_raw_id(node))
            r = Record(node, self.log, "change-log entry")
            change_id = r.field("id", an_id)
            day = r.field("date", a_date)
            updated = r.field("updated", a_time_or_date, required=False)
            published = r.field("published", a_time, required=False)
            kind = r.field("kind", one_of(CHANGE_KINDS))
            words = r.field("text", text)
            cite = self.cite(r, "cite", required=False)
            see = r.field("see", list_of(an_id), required=False, default=())
            r.finish()
            if see:
                sees.append((change_id, node.value["see"]))
            if day and updated and (updated.date() if isinstance(updated, datetime) else updated) < day:
                at = node.value["updated"]  # one error: its time is not one of the day's (check_times)
                self.log.add(at.src_path, at.line, at.column, f"field 'updated' of change-log entry is before its "
                             f"date, {day.isoformat()} (found '{updated.isoformat()}')",
                             "give the day or time the entry was reworded, on or after its date")
            elif change_id and day and kind and words and self.unique(seen, change_id, node, "change-log entry"):
                self.note_later(node.value["date"], "the change-log entry", PartialDate.of(day))
                found.append((Change(change_id, day, kind, words, cite, updated, published, see), node))
        for change_id, listed in sees:  # an entry it refers to is one of the log's, and another
            for item in listed.value:
                if item.value == change_id:
                    self.log.add(item.src_path, item.line, item.column, f"change-log entry '{change_id}' refers to "
                                 "itself", "remove its own id from 'see'")
                elif item.value not in written:
                    self.log.add(item.src_path, item.line, item.column, f"change-log entry '{change_id}' refers to "
                                 f"unknown entry '{item.value}'", did_you_mean(str(item.value), seen,
                                                                                "change-log entries"))
        self.check_times(found)
        earliest = datetime.min.replace(tzinfo=UTC)
        return tuple(sorted((change for change, _ in reversed(found)),
                            key=lambda c: (c.date, c.published or earliest), reverse=True))

    def check_times(self, entries: list[tuple[Change, Node]]) -> None:
        """Feed readers sort by the feed's times, where a day alone is its midnight: so a day the log gives a time
        on must give every time on it, or an entry added later that day would sort below it; and a rewording's
        time must follow the entry's."""
        log = self.log
        timed: dict[date, Change] = {moment.date(): change for change, _ in entries
                                     for moment in (change.published, change.updated) if isinstance(moment, datetime)}
        for change, node in entries:
            fields = node.value
            if change.published is not None and change.published.date() != change.date:
                at = fields["published"]
                log.add(at.src_path, at.line, at.column, f"field 'published' of change-log entry is not on its date, "
                        f"{change.date.isoformat()} (found '{atom_time(change.published)}')",
                        "give the UTC time on the entry's date when it was added")
            elif change.published is None and change.date in timed and "published" not in fields:  # else reported
                at = fields["date"]
                log.add(at.src_path, at.line, at.column, f"change-log entry '{change.id}' has no 'published' time, but "
                        f"entry '{timed[change.date].id}' gives a time on {change.date.isoformat()}",
                        "add 'published:' with the UTC time the entry was added (YYYY-MM-DDTHH:MM:SSZ): feed readers "
                        "sort by time, and a day alone is its midnight, before the day's other times")
            updated, at = change.updated, fields.get("updated")
            if at is None or updated is None:
                continue  # no rewording
            if isinstance(updated, datetime) and change.published is not None and updated < change.published:
                log.add(at.src_path, at.line, at.column, f"field 'updated' of change-log entry is before it was "
                        f"published, {atom_time(change.published)} (found '{atom_time(updated)}')",
                        "give the time the entry was reworded, after the time it was added")
            elif not isinstance(updated, datetime) and updated == change.date:
                log.add(at.src_path, at.line, at.column, "field 'updated' of change-log entry gives the entry's "
                        f"own day with no time (found '{updated.isoformat()}')",
                        "give the UTC time it was reworded (YYYY-MM-DDTHH:MM:SSZ): a day alone is its midnight, before "
                        "the entry was reworded, so feed readers would keep its first words")
            elif not isinstance(updated, datetime) and updated in timed:
                log.add(at.src_path, at.line, at.column, "field 'updated' of change-log entry gives a day with no "
                        f"time, but entry '{timed[updated].id}' gives a time on it (found '{updated.isoformat()}')",
                        "give the UTC time it was reworded (YYYY-MM-DDTHH:MM:SSZ): a day alone is its midnight, which "
                        "feed readers sort before that day's other times")
