from __future__ import annotations

from postctl.post.taxonomy import Term, Variant, at_least, count_terms, group_terms, variant_key


def test_variant_key_ignores_case_spacing_hyphens_underscores() -> None:
    spellings = ["Machine Learning", "machine-learning", "machine_learning", "MACHINE  LEARNING",
                 "machinelearning"]
    assert len({variant_key(name) for name in spellings}) == 1
    assert variant_key("go") != variant_key("golang")
    assert variant_key("-") == "-"  # never empty


def test_a_plural_is_another_name_not_a_variant() -> None:
    assert variant_key("Windows") != variant_key("window")
    assert variant_key("news") != variant_key("new")
    assert variant_key("new-s") == variant_key("News")


def test_count_terms_groups_variants_and_sorts_by_count_then_name() -> None:
    posts = [["Politics"]] * 40 + [["politics"]] * 3 + [["b"], ["a"], ["a", "b"]]
    terms = count_terms(posts)
    assert terms[0] == Term("Politics", 43, (Variant("Politics", 40), Variant("politics", 3)))
    assert terms[0].label() == "Politics (40) / politics (3)"
    assert [(t.name, t.count) for t in terms[1:]] == [("a", 2), ("b", 2)]


def test_a_post_with_two_spellings_counts_once() -> None:
    terms = count_terms([["News", "news"], ["news"]])
    assert terms == [Term("news", 2, (Variant("news", 2), Variant("News", 1)))]


def test_group_terms_asks_for_the_group_count_only_for_several_spellings() -> None:
    asked: list[list[str]] = []

    def group_count(names: list[str]) -> int:
        asked.append(names)
        return 7

    terms = group_terms({"Go": 5, "go": 3, "rust": 2}, group_count)
    assert asked == [["Go", "go"]]
    assert [(t.name, t.count) for t in terms] == [("Go", 7), ("rust", 2)]
    assert [(t.name, t.count) for t in group_terms({"Go": 5, "go": 3})] == [("Go", 8)]


def test_ties_between_spellings_sort_by_name() -> None:
    terms = count_terms([["b-c"], ["B C"]])
    assert [v.name for v in terms[0].variants] == ["B C", "b-c"]


def test_rows_and_min_count() -> None:
    terms = count_terms([["a"], ["a"], ["A"], ["b"]])
    assert terms[0].row() == {
        "name": "a", "count": 3, "variants": [{"name": "a", "count": 2}, {"name": "A", "count": 1}],
        "spellings": "a (2) / A (1)",
    }
    assert terms[1].row()["spellings"] == ""
    assert [t.name for t in at_least(terms, 2)] == ["a"]
