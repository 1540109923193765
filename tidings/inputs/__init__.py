"""tidings.inputs: finding, reading and decoding article files and their metadata."""


class InputError(ValueError):
    """An input that names nothing, or a metadata file that cannot be used."""
