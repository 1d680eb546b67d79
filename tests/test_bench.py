"""The bench's equality check (bench/run.py) reports every difference by path, key order too."""

from bench.run import differences


def test_equal_answers_have_no_differences() -> None:
    answer = {"data": {"gradeGrid": {"students": [{"id": "UGVyc29uOjE=", "average": "4.50"}]}}}
    assert list(differences(answer, answer)) == []


def test_differences_name_the_path_and_both_values() -> None:
    graphql = {"data": {"rows": [{"a": 1, "b": "4.50"}, {"a": 2, "b": None}]}}
    sql = {"data": {"rows": [{"a": 1, "b": "4.5"}, {"a": 2, "b": None}, {"a": 3, "b": None}]}}
    assert list(differences(graphql, sql)) == [
        "$.data.rows: 2 items != 3 items",
        "$.data.rows[0].b: '4.50' != '4.5'",
    ]


def test_key_order_and_types_count() -> None:
    assert list(differences({"a": 1, "b": 2}, {"b": 2, "a": 1})) == [
        "$: keys ['a', 'b'] != ['b', 'a']"
    ]
    assert list(differences({"n": 1}, {"n": 1.0})) == ["$.n: 1 != 1.0"]
    assert list(differences({"n": True}, {"n": 1})) == ["$.n: True != 1"]
