"""Highlighted snippets from a posting's original text and the query's words (engine-neutral).

Returns plain segments; the web layer escapes them and wraps the matches in <mark>.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Segment = tuple[str, bool]  # (text, is a match)


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({word for word in words if word.strip()}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile("|".join(re.escape(word) for word in unique), re.IGNORECASE)


def highlight(text: str, words: Iterable[str]) -> list[Segment]:
    """The whole text split into matching and non-matching segments."""
    pattern = _pattern(words)
    if pattern is None or not text:
        return [(text, False)] if text else []
    segments: list[Segment] = []
    position = 0
    for found in pattern.finditer(text):
        if found.start() > position:
            segments.append((text[position : found.start()], False))
        segments.append((found.group(0), True))
        position = found.end()
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def snippet(text: str, words: Iterable[str], width: int = 80) -> list[Segment]:
    """About `width` characters around the densest run of matches, with … where cut."""
    flat = " ".join(text.split())
    words = list(words)
    pattern = _pattern(words)
    if pattern is None:
        return [(flat[:width] + ("…" if len(flat) > width else ""), False)] if flat else []
    starts = [found.start() for found in pattern.finditer(flat)]
    if not starts:
        return [(flat[:width] + ("…" if len(flat) > width else ""), False)]
    # the window that covers the most match starts
    best, best_count = starts[0], 0
    for index, start in enumerate(starts):
        count = sum(1 for other in starts[index:] if other < start + width)
        if count > best_count:
            best, best_count = start, count
    begin = max(0, min(best - width // 4, len(flat) - width))
    end = min(len(flat), begin + width)
    segments = highlight(flat[begin:end], words)
    if begin > 0:
        segments.insert(0, ("…", False))
    if end < len(flat):
        segments.append(("…", False))
    return segments
