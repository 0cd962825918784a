"""`keras.tree` against Keras 3.15.1: the documented examples of keras/src/tree/tree_api.py
(restated) and values observed with `KERAS_BACKEND=jax` (the optree implementation: dicts in
sorted key order, rebuilt dicts in the structure's own key order). `map_structure_up_to`
follows its documented examples (Keras's torch implementation gives them; its optree one raises).
"""

import collections

import numpy as np
import pytest

import minikeras as keras

T = keras.tree
Foo = collections.namedtuple("Foo", ["b", "a"])


def test_flatten_documented_and_observed():
    assert T.flatten([[1, 2, 3], [4, [5], [[6]]]]) == [1, 2, 3, 4, 5, 6]
    assert T.flatten(None) == [None]
    assert T.flatten(1) == [1]
    assert T.flatten({100: "world!", 6: "Hello"}) == ["Hello", "world!"]
    assert T.flatten({"z": {"y": 1, "x": 2}, "a": 3}) == [3, 2, 1]  # sorted at every level
    assert T.flatten(collections.OrderedDict([("b", 1), ("a", 2)])) == [1, 2]
    assert T.flatten(Foo(b=1, a=2)) == [1, 2]
    assert T.flatten([[], {}, ()]) == []
    assert T.flatten("abc") == ["abc"]
    assert T.flatten({1: "a", "b": 2}) == ["a", 2]  # unsortable keys: insertion order
    assert T.flatten_with_path({"b": [1, 2], "a": (3,)}) == [
        (("a", 0), 3),
        (("b", 0), 1),
        (("b", 1), 2),
    ]


def test_internal_flatten_unchanged():
    """minikeras's own graph helpers keep insertion order (not part of keras.tree)."""
    from minikeras.layers.node import flatten

    assert flatten({"b": 1, "a": 2}) == [1, 2]


def test_is_nested():
    values = (1, None, "s", [], (), {}, np.ones(2), Foo(1, 2), {1})
    assert [T.is_nested(x) for x in values] == [
        False,
        False,
        False,
        True,
        True,
        True,
        False,
        True,
        False,
    ]


def test_map_structure():
    assert T.map_structure(lambda v: v**2, [[1], [2], [3]]) == [[1], [4], [9]]
    assert T.map_structure(lambda x, y: x * y, [[1], [2], [3]], [[1], [2], [3]]) == [[1], [4], [9]]
    assert T.map_structure(lambda v: v * 2, Foo(b=1, a=2)) == Foo(b=2, a=4)
    out = T.map_structure(lambda x, y: x + y, {"b": 1, "a": 2}, {"a": 3, "b": 4})
    assert out == {"b": 5, "a": 5} and list(out) == ["b", "a"]
    od = T.map_structure(lambda x: x * 2, collections.OrderedDict([("b", 1), ("a", 2)]))
    assert isinstance(od, collections.OrderedDict) and list(od.items()) == [("b", 2), ("a", 4)]
    assert T.map_structure(lambda x: "f", [None, 1]) == ["f", "f"]
    assert T.map_structure(lambda x: "f", [None, 1], none_is_leaf=False) == [None, "f"]
    assert T.map_structure(lambda x: x + 1, 1) == 2
    with pytest.raises(ValueError):
        T.map_structure(lambda x, y: x + y, [1, 2], (3, 4))
    with pytest.raises(ValueError):
        T.map_structure(lambda x, y: x + y, [1, 2], [3])
    with pytest.raises(ValueError, match="at least one structure"):
        T.map_structure(lambda: 1)


def test_map_structure_up_to():
    assert T.map_structure_up_to([None, None], len, [[1, 1], [2, 2]]) == [2, 2]
    assert T.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]]) == [
        "[1, 1]",
        ["2", "2"],
    ]
    out = T.map_structure_up_to(
        {"a": None, "b": None}, lambda x, y: (x, y), {"b": [1], "a": 2}, {"a": 3, "b": 4}
    )
    assert out == {"a": (2, 3), "b": ([1], 4)}
    with pytest.raises(ValueError):
        T.map_structure_up_to([None, [None, None]], str, [[1, 1], 2])
    with pytest.raises(ValueError):
        T.map_structure_up_to((None, None), str, [1, 2])


def test_pack_sequence_as():
    structure = {"key3": "", "key1": "", "key2": ""}
    packed = T.pack_sequence_as(structure, ["value1", "value2", "value3"])
    assert packed == {"key3": "value3", "key1": "value1", "key2": "value2"}
    assert list(packed) == ["key3", "key1", "key2"]
    assert T.pack_sequence_as(
        (("a", "b"), ("c", "d", "e"), "f"), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    ) == ((1.0, 2.0), (3.0, 4.0, 5.0), 6.0)
    structure = {
        "key3": {"c": ("alpha", "beta"), "a": ("gamma")},
        "key1": {"e": "val1", "d": "val2"},
    }
    assert T.pack_sequence_as(structure, ["val2", "val1", 3.0, 1.0, 2.0]) == {
        "key3": {"c": (1.0, 2.0), "a": 3.0},
        "key1": {"e": "val1", "d": "val2"},
    }
    arr = np.array([[1, 2], [3, 4]])
    assert T.pack_sequence_as(["a"], [arr])[0] is arr
    assert T.pack_sequence_as("a", [5]) == 5
    assert T.pack_sequence_as(Foo(0, 0), [5, 6]) == Foo(b=5, a=6)
    assert T.pack_sequence_as([None, [None]], [1, 2]) == [1, [2]]
    with pytest.raises(ValueError, match="Too few"):
        T.pack_sequence_as(["a", "b"], [5])
    with pytest.raises(ValueError, match="Too many"):
        T.pack_sequence_as(["a", "b"], [5, 6, 7])
    with pytest.raises(TypeError):
        T.pack_sequence_as([1], 5)


def test_assert_same_structure_and_paths():
    T.assert_same_structure([(0, 1)], [(2, 3)])
    T.assert_same_structure(Foo(0, 1), Foo(2, 3))
    T.assert_same_structure({"a": 1, "b": 2}, collections.OrderedDict([("b", 1), ("a", 2)]))
    T.assert_same_structure([None], [1])
    AlsoFoo = collections.namedtuple("Foo", ["b", "a"])
    for a, b in [
        (Foo(0, 1), AlsoFoo(2, 3)),
        ([0, 1], (0, 1)),
        ({"a": 1}, {"b": 1}),
        ([1, 2], [1]),
        (1, [1]),
    ]:
        with pytest.raises(ValueError):
            T.assert_same_structure(a, b)
    T.assert_same_paths([0, 1], (2, 3))
    Point1 = collections.namedtuple("Point1", ["x", "y"])
    Point2 = collections.namedtuple("Point2", ["x", "y"])
    T.assert_same_paths(Point1(0, 1), Point2(2, 3))
    with pytest.raises(ValueError, match="same paths"):
        T.assert_same_paths([0, 1], [2])


def test_traverse():
    seen = []
    nest = [(1, 2), [3], {"a": 4}]
    assert T.traverse(seen.append, nest, top_down=True) == nest
    assert seen == [[(1, 2), [3], {"a": 4}], (1, 2), 1, 2, [3], 3, {"a": 4}, 4]
    seen = []
    T.traverse(seen.append, [(1, 2), [3], {"a": 4}], top_down=False)
    assert seen == [1, 2, (1, 2), 3, [3], 4, {"a": 4}, [(1, 2), [3], {"a": 4}]]
    assert T.traverse(lambda x: "X" if isinstance(x, tuple) else None, [(1, 2), [3]]) == ["X", [3]]
    assert T.traverse(lambda x: T.MAP_TO_NONE if isinstance(x, tuple) else None, [(1, 2), [3]]) == [
        None,
        [3],
    ]
    out = T.traverse(
        lambda x: x * 2 if isinstance(x, int) else None, [(1, 2), {"b": 3, "a": 4}], top_down=False
    )
    assert out == [(2, 4), {"b": 6, "a": 8}] and list(out[1]) == ["b", "a"]
    with pytest.raises(TypeError):
        T.traverse(1, [1])


def test_lists_to_tuples_and_shapes():
    assert T.lists_to_tuples([1, {"a": [2, (3, [4])]}]) == (1, {"a": (2, (3, (4,)))})
    shapes = {"a": (None, 3), "b": [(2, 3), [4, None]], "c": ()}
    assert T.map_shape_structure(lambda s: s, shapes) == shapes
    assert T.map_shape_structure(lambda s: ("S", s), [[(1,), (2, 3)], (None,)]) == [
        [("S", (1,)), ("S", (2, 3))],
        ("S", (None,)),
    ]
