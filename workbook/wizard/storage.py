"""The wizard's storage: step data is the jurisdiction's answers in the database."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import SuspiciousOperation
from formtools.wizard.storage.base import BaseStorage

from workbook.answers.actions import save_section
from workbook.answers.rules import (
    edited,
)
from workbook.models import SectionProgress
from workbook.security.access import JurisdictionAccess
from workbook.wizard.forms import answers_to_data
from workbook.wizard.state import WorkbookState


@dataclass
class SectionDraft:
    """What a step hands to the storage: valid values, the version and the values' fingerprints
    (`base`) the page was read at, and conflicts the person has yet to decide."""

    values: dict[str, Any]
    expected_version: int
    base: dict[str, str] | None = None
    undecided: list[str] = field(default_factory=list)
    # Given when the person chose to reopen an approved section to save this.
    reopen_reason: str = ""


class DatabaseStorage(BaseStorage):
    """Wizard storage whose step data is the jurisdiction's answers in the database."""

    def __init__(
        self,
        prefix,
        request=None,
        file_storage=None,
        *,
        state: WorkbookState,
        access: JurisdictionAccess,
    ):
        super().__init__(prefix, request, file_storage)
        self.state = state
        self.access = access
        self.init_data()
        navigation = request.session.get(self.prefix, {}) if request is not None else {}
        self.data[self.step_key] = navigation.get("step")
        self.last_progress: SectionProgress | None = None

    def _set_current_step(self, step):
        self.data[self.step_key] = step
        # Only a POST remembers where the user was: a GET must not write anything. Saving the
        # same section again leaves the session as it is, so the save costs no session write.
        if self.request is not None and self.request.method == "POST":
            navigation = {"step": step}
            if self.request.session.get(self.prefix) != navigation:
                self.request.session[self.prefix] = navigation

    def reset(self):
        # Answers are never thrown away by the wizard; only the navigation state is forgotten.
        self.init_data()

    def get_step_data(self, step):
        section = self.state.section(step)
        data = answers_to_data(self.state.questions[section.pk], self.state.section_values(section))
        return data

    def set_step_data(self, step, cleaned_data):
        if not isinstance(cleaned_data, SectionDraft):
            raise TypeError("DatabaseStorage stores SectionDraft objects only.")
        section = self.state.section(step)
        progress = save_section(
            access=self.access,
            section=section,
            values=cleaned_data.values,
            expected_version=cleaned_data.expected_version,
            base=cleaned_data.base,
            undecided=cleaned_data.undecided,
            reopen_reason=cleaned_data.reopen_reason,
            answers_read=self.state.section_answers(section),
        )
        written = edited(cleaned_data.values, cleaned_data.base)
        self.state.record_save(section, written, progress)
        self.last_progress = progress

    def get_step_files(self, step):
        return None

    def set_step_files(self, step, files):
        if files:
            raise SuspiciousOperation("The workbook takes no file uploads.")

    def update_response(self, response):
        return None
