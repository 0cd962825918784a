"""keras.utils.Config: behaviour observed with Keras 3.15.1."""

import pytest

import minikeras as keras


def test_config_attribute_and_item_access_iteration_and_json():
    """Keras: attribute and item access share the entries, iteration is sorted, repr keeps
    insertion order, an unknown attribute suggests the close name."""
    c = keras.utils.Config(lr=0.1)
    c.b = 2
    c["a"] = 1
    assert list(c) == ["a", "b", "lr"] and len(c) == 3 and "a" in c
    assert repr(c) == "<Config {'lr': 0.1, 'b': 2, 'a': 1}>"
    assert c.as_dict() == {"lr": 0.1, "b": 2, "a": 1} and c.get("zz", 5) == 5
    assert c.to_json() == '{"lr": 0.1, "b": 2, "a": 1}'
    with pytest.raises(AttributeError, match="Unknown attribute: 'lrr'. Did you mean 'lr'?"):
        c.lrr


def test_frozen_config_refuses_every_change():
    """Keras: a frozen Config raises ValueError on attribute/item set, update, pop, del."""
    c = keras.utils.Config(a=1)
    c.freeze()
    assert c.frozen
    for change in (
        lambda: setattr(c, "a", 2),
        lambda: c.__setitem__("a", 2),
        lambda: c.update(a=2),
        lambda: c.pop("a"),
        lambda: c.__delitem__("a"),
    ):
        with pytest.raises(ValueError, match="frozen"):
            change()
    c.unfreeze()
    c.a = 3
    assert c["a"] == 3
