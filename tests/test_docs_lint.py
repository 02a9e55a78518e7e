"""The README documents every lint rule (the table generated from the registry, verbatim)
and every pre-commit hook id."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from postctl.lint.rules import ALL_RULES
from postctl.render.lint import rules_markdown

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
HOOK_IDS = [hook["id"] for hook in
            yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))]
_SECTION = README.partition("<!-- section:lint -->")[2].partition("<!-- /section:lint -->")[0]

# Until the lint section of the README is written (between its markers), there is nothing
# to check; once it is, every test below applies.
pytestmark = pytest.mark.skipif(
    "<!-- section:lint -->" in README and not _SECTION.strip(),
    reason="the README's lint section is still empty")


@pytest.mark.parametrize("hook_id", HOOK_IDS)
def test_every_hook_id_is_in_the_readme(hook_id: str) -> None:
    assert f"id: {hook_id}" in README


@pytest.mark.parametrize("rule_id", [rule.id for rule in ALL_RULES])
def test_every_rule_id_is_in_the_readme(rule_id: str) -> None:
    assert f"`{rule_id}`" in README


def test_rule_table_matches_the_registry() -> None:
    """Regenerate with: python -c 'from postctl.render.lint import rules_markdown;
    from postctl.lint.rules import ALL_RULES; print(rules_markdown(ALL_RULES), end="")'"""
    assert rules_markdown(ALL_RULES) in README
