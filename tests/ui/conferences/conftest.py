"""The fixtures of the 'Ausfertigungen' tests, offered by name to the modules of this folder
(``test_output`` and ``test_output_copies`` share them; they are made in ``output_world``)."""

from tests.ui.conferences.output_world import held, panel  # noqa: F401 - the fixtures, by name
