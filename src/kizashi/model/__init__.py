"""The model layer: descriptors, variants, judgements and evidence; YAML I/O; validation;
compilation to the arrays the engine uses. Depends only on pydantic, ruamel.yaml and numpy."""

from kizashi.model.compile import CompiledModel, compile_model, source_matrices, structure_of
from kizashi.model.schema import Descriptor, Evidence, Judgement, Model, SourceRef, Variant
from kizashi.model.validate import Problem, normalise_text, validate_model
from kizashi.model.yaml_io import LoadedModel, dump_model, load_model, parse_model_text, save_model

__all__ = [
    "CompiledModel",
    "Descriptor",
    "Evidence",
    "Judgement",
    "LoadedModel",
    "Model",
    "Problem",
    "SourceRef",
    "Variant",
    "compile_model",
    "dump_model",
    "load_model",
    "normalise_text",
    "parse_model_text",
    "save_model",
    "source_matrices",
    "structure_of",
    "validate_model",
]
