"""One import for pydantic in both of the project's environments.

Everything the project wrote runs on Python 3.11 with pydantic 2 (`.venv311`); only the Rasa
server stays on Python 3.10 with Rasa 3.6, which pins pydantic 1.10, and the Rasa process imports
a few of these modules too (the channels read the settings and, for the apology, the knowledge).
pydantic 2 ships the 1.10 API unchanged as ``pydantic.v1``, so the models are written once against
that API and run on both: ``pydantic.v1`` under pydantic 2, ``pydantic`` itself under 1.10 (which
has no ``pydantic.v1``).
"""
try:  # pydantic 2 (Python 3.11: the action server, the web server, the relay, the CLI)
    from pydantic.v1 import (  # noqa: F401
        BaseModel, BaseSettings, Extra, Field, ValidationError, conint, constr, parse_obj_as,
        root_validator, validator,
    )
    from pydantic import VERSION  # noqa: F401
except ImportError:  # pydantic 1.10 (Python 3.10: the Rasa server's process)
    from pydantic import (  # type: ignore[no-redef]  # noqa: F401
        VERSION, BaseModel, BaseSettings, Extra, Field, ValidationError, conint, constr, parse_obj_as,
        root_validator, validator,
    )
