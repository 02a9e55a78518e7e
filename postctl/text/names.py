"""Names given by a person that are not known: the known name meant (a near miss), and the
one message that says so, listing the valid names."""

from __future__ import annotations

from collections.abc import Iterable


def unknown_name(kind: str, given: str, known: Iterable[str], limit: int = 24) -> str:
    """``unknown {kind} 'given': did you mean 'x'? valid: a, b, c``: one line; the valid
    names in the order given, at most ``limit`` of them."""
    names = list(dict.fromkeys(known))
    suggestion = near_miss(given, names)
    meant = f" did you mean {suggestion!r}?" if suggestion else ""
    shown = ", ".join(names[:limit]) + (f" and {len(names) - limit} more"
                                        if len(names) > limit else "")
    return f"unknown {kind} {given!r}:{meant} valid: {shown}"


def near_miss(key: str, known: Iterable[str]) -> str | None:
    """The known key ``key`` was probably meant to be, or None. Of equally near ones, a name
    with the same letters in another order (``lnit``: ``lint``, not ``init``) wins, then the
    first in ``known``'s order."""
    lowered = key.lower()
    best: tuple[int, bool, str] | None = None
    for candidate in known:
        if lowered == candidate.lower():
            return candidate
        budget = 1 if len(candidate) < 7 else 2
        if len(candidate) < 4 or abs(len(candidate) - len(key)) > budget:
            continue
        distance = _distance(lowered, candidate.lower(), budget)
        rank = (distance, sorted(lowered) != sorted(candidate.lower()), candidate)
        if distance <= budget and (best is None or rank[:2] < best[:2]):
            best = rank
    return best[2] if best else None


def _distance(left: str, right: str, budget: int) -> int:
    """Optimal string alignment distance (adjacent swaps count 1), capped at budget + 1."""
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i, lchar in enumerate(left, start=1):
        current = [i] + [0] * len(right)
        for j, rchar in enumerate(right, start=1):
            cost = 0 if lchar == rchar else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and lchar == right[j - 2] and left[i - 2] == rchar:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > budget:
            return budget + 1
        previous2, previous = previous, current
    return previous[-1]
