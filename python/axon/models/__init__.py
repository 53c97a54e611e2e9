"""Models (`axon.models`)."""

from axon.models.sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model saved in `filepath` by model.save (see axon.saving.load_model)."""
    from axon import saving

    return saving.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    from axon import saving

    saving.save_model(model, filepath, overwrite=overwrite, include_optimizer=include_optimizer)


def model_from_json(json_string, custom_objects=None):
    """The (unbuilt weights: freshly initialized) model of `model.to_json()`."""
    import json

    config = json.loads(json_string)
    if not isinstance(config, dict) or config.get("class_name") != "Sequential":
        raise ValueError(f"model_from_json: expected a Sequential model's JSON, got class "
                         f"{config.get('class_name') if isinstance(config, dict) else type(config).__name__!r}")
    return Sequential.from_config(config["config"], custom_objects=custom_objects)


__all__ = ["Sequential", "load_model", "model_from_json", "save_model"]
