"""`keras.losses` identifiers (minikeras/losses/__init__.py): `get`, `serialize`, `deserialize`
with Keras 3's names, aliases and config dicts, and Keras 2's `reduction="auto"`."""

import pytest

from minikeras import losses


@pytest.mark.parametrize(
    "name,fn",
    [
        ("mse", losses.mean_squared_error),
        ("MAE", losses.mean_absolute_error),
        ("mape", losses.mean_absolute_percentage_error),
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("kld", losses.kl_divergence),
        ("bce", losses.binary_crossentropy),
    ],
)
def test_get_function_names(name, fn):
    assert losses.get(name) is fn


def test_get_classes_instances_callables_and_errors():
    got = losses.get("CategoricalCrossentropy")
    assert (
        isinstance(got, losses.CategoricalCrossentropy) and got.name == "categorical_crossentropy"
    )
    inst = losses.Huber()
    assert losses.get(inst) is inst

    def custom(y_true, y_pred):
        return y_pred

    assert losses.get(custom) is custom
    from_dict = losses.get(
        {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}}
    )
    assert from_dict.from_logits
    with pytest.raises(ValueError, match="not_a_loss") as err:
        losses.get("not_a_loss")
    assert "mean_squared_error" in str(err.value)


def test_serialize_round_trips():
    loss = losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True, name="focal")
    data = losses.serialize(loss)
    assert data["class_name"] == "BinaryFocalCrossentropy" and data["module"] == "keras.losses"
    again = losses.deserialize(data)
    assert again.get_config() == loss.get_config() and again.gamma == 3.0
    fn = losses.serialize(losses.mean_squared_error)
    assert fn["class_name"] == "function" and losses.deserialize(fn) is losses.mean_squared_error
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", delta=2.0)
    back = losses.deserialize(losses.serialize(wrapper))
    assert back.fn is losses.huber and back._fn_kwargs == {"delta": 2.0}
    # Keras 2 configs say reduction "auto"
    k2 = losses.deserialize(
        {
            "class_name": "CategoricalCrossentropy",
            "config": {
                "reduction": "auto",
                "name": "categorical_crossentropy",
                "from_logits": False,
                "label_smoothing": 0.0,
                "axis": -1,
            },
        }
    )
    assert k2.reduction == "sum_over_batch_size"


def test_every_public_name_of_the_flat_module_is_still_exported():
    """The split into family modules moved no public name: `keras.losses.X` as before."""
    names = (
        "Loss LossFunctionWrapper REDUCTIONS reduce_values reduce_weighted_values apply_mask "
        "standardize_reduction squeeze_or_expand_to_same_rank ALL_CLASSES ALIASES "
        "ALL_OBJECTS_DICT get serialize deserialize mse MSE mae MAE mape MAPE msle MSLE kld KLD "
        "kullback_leibler_divergence logcosh bce BCE ctc CTC circle Circle dice Dice tversky "
        "Tversky hinge Hinge squared_hinge SquaredHinge categorical_hinge CategoricalHinge"
    ).split()
    missing = [n for n in names if not hasattr(losses, n)]
    assert not missing
    for cls in losses.ALL_CLASSES:
        assert getattr(losses, cls.__name__) is cls
    assert callable(losses.circle) and callable(losses.ctc) and callable(losses.hinge)


def test_wrapped_custom_function_loads_with_custom_objects():
    """A LossFunctionWrapper of a user function (saved by name) loads back when the function is
    passed in `custom_objects`, as Keras 3's `keras.losses.deserialize(config, custom_objects)`."""

    def my_loss(y_true, y_pred):
        return y_pred

    data = losses.serialize(losses.LossFunctionWrapper(my_loss, name="mine"))
    assert data["config"]["fn"]["config"] == "my_loss"
    back = losses.deserialize(data, custom_objects={"my_loss": my_loss})
    assert back.fn is my_loss and back.name == "mine"
    with pytest.raises(ValueError, match="my_loss"):
        losses.deserialize(data)
