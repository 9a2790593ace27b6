"""The rules of the digital-transformation index that a command or a framework file can break,
each its own error, with its cases (``domain.shared.errors``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from domain.shared.errors import DomainError


class FrameworkFileError(DomainError):
    """A framework file does not follow the documented format (docs/dti.md); ``at`` names the
    place in it, as a path (``groups[0].pillars[1].max_points``)."""

    code = "invalid-framework"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_json": "the framework file is not JSON (line {line}, column {column})",
        "too_deep": "the framework file nests deeper than {limit} levels",
        "repeated_key": "the key {given!r} is given twice in one object",
        "too_large": "the framework file is {size} bytes, more than the {limit} allowed",
        "format": "{at} names the format {given!r}; this version reads {expected!r}",
        "missing": "{at} is missing",
        "unknown": "{at} is not a field of the format",
        "not_object": "{at} must be an object",
        "not_list": "{at} must be a list",
        "not_text": "{at} must be text",
        "not_whole": "{at} must be a whole number",
        "not_number": "{at} must be a number with at most {places} decimal places",
        "not_bool": "{at} must be true or false",
        "empty": "{at} lists nothing",
        "too_many": "{at} lists {count} items, more than the {limit} allowed",
        "code": "{at}: a code is letters, digits, dots and dashes, not {given!r}",
        "index_key": "{at}: an index is named in lower-case letters, digits and dashes, "
        "not {given!r}",
        "duplicate": "{at}: the code {given} is given twice",
        "period": "{at}: a period is a year from {first} to {last}, not {given}",
        "version": "{at}: a version is a whole number from 1, not {given}",
        "not_positive": "{at} must be more than 0, not {given}",
        "negative": "{at} must be 0 or more, not {given}",
        "group": "{at}: {given!r} is not a group of units (departments, localities, others)",
        "group_twice": "{at}: the group {given} is given twice",
        "kind": "{at}: {given!r} is not a scoring rule (scale, yes_no, share, thresholds)",
        "max_sum": "{at}: its parts' maxima add up to {total}, not {given}",
        "scale_ends": "{at}: a scale's zero_at and full_at must differ",
        "share_full": "{at}: a share's full_at is above 0 and at most 1, not {given}",
        "not_for_rule": "{at} is not a setting of a {kind} rule",
        "steps": "{at}: thresholds rise: each at_least and each points above the one before",
        "step_over": "{at}: a threshold gives {given} points, more than the component's {most}",
        "bands_start": "{at}: the first band starts at 0, not {given}",
        "bands_rise": "{at}: each band starts above the one before",
        "band_over": "{at}: a band starts at {given}, above the group's maximum {most}",
        "measure": "{at}: {given!r} is not a measure of Thucthi ({names})",
        "not_for_measure": "{at} is not a setting of the measure {name}",
        "basis": "{at}: {given!r} is not a deadline to judge by (in_force, original)",
        "measure_rule": "{at}: the measure {name} is not scored by a {kind} rule "
        "(a share by share; days by scale or thresholds)",
        "measure_not_automatic": "{at}: a measured component is automatic; it cannot be false",
    }


class FrameworkNotFoundError(DomainError):
    """No framework of the index has this name or version (at that log position)."""

    code = "framework-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "unknown": "no index {index} has been published",
        "no_version": "{index} has no version {version}",
        "no_group": "{index} version {version} has no group {group}",
    }


class FrameworkVersionError(DomainError):
    """A framework's versions follow each other: a revision is the next version, and the old
    one stays as it was."""

    code = "framework-version"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "first": "the first version of {index} is 1, not {version}",
        "not_next": "{index} is at version {latest}: a revision is version {expected}, "
        "not {version}",
    }


class AssessmentNotFoundError(DomainError):
    """No self-assessment has this name (or the actor may not see it)."""

    code = "assessment-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "unknown": "no assessment {key}",
        "key": "an assessment is named index~version~period~unit, like {example}, not {given!r}",
    }


class AssessmentExistsError(DomainError):
    """A unit assesses itself once per framework version and period."""

    code = "assessment-exists"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {"started": "{key} was already started"}


class InvalidAssessmentError(DomainError):
    """What was asked does not fit the framework the assessment is made under."""

    code = "invalid-assessment"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "period_before": "{index} version {version} assesses periods from {first}, not {period}",
        "period_future": "the period {period} has not begun",
        "committee": "{unit} is the committee itself, which is not assessed",
        "unknown_component": "{component} is not a component of this index",
        "automatic": "{component} is measured by Thucthi, not entered by the unit",
        "not_measured": "{component} is not a component Thucthi measures",
        "link": "a link is an http(s) address, not {link!r}",
        "too_many_links": "{count} links is more than the {limit} allowed",
        "nothing_entered": "nothing was entered: enter the components' values before submitting",
        "working_days": "the unit is given 1 to {limit} working days to answer, not {days}",
    }


class InvalidValueError(DomainError):
    """A component's value does not fit how the component is scored."""

    code = "invalid-value"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "yes_no": "{component} is answered 1 (yes) or 0 (no), not {number}",
        "negative": "{component} takes no value below 0, not {number}",
        "whole": "{component} counts whole numbers, not {number}",
        "precision": "{component} takes at most {places} decimal places and {digits} digits",
        "no_whole": "{component} is a share: give the whole it is a part of",
        "not_share": "{component} is not a share: it takes no whole",
        "whole_zero": "{component} is a share of a whole above 0, not {of}",
        "part_over": "{component}: the part {number} is more than the whole {of}",
    }


class AssessmentUnitError(DomainError):
    """A unit assesses only itself, and only the appraising body appraises."""

    code = "assessment-unit"
    kind = "forbidden"
    SAID: ClassVar[Mapping[str, str]] = {
        "own": "only an officer of {unit} assesses {unit}",
        "appraiser": "only the appraising body {appraiser} appraises this index",
    }


class AssessmentStageError(DomainError):
    """The assessment is not at the stage this command belongs to."""

    code = "assessment-stage"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_open": "{key} is {stage}: the unit no longer changes it",
        "not_draft": "{key} is {stage}: only a draft is submitted",
        "not_submitted": "{key} is {stage}, not awaiting appraisal",
        "not_returned": "{key} is {stage}: it was not sent back to the unit",
        "not_appraised": "{key} is {stage}, not appraised",
        "not_published": "{key} is {stage}: a correction is made to published results",
        "no_value": "{component} has no value for the appraisal to accept",
    }


class EvidenceMissingError(DomainError):
    """A component that requires evidence is submitted with none."""

    code = "evidence-missing"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "missing": "{components} require evidence: attach it before submitting",
    }


class NothingToPublishError(DomainError):
    """The Office publishes the appraised results of a period, and there are none yet."""

    code = "nothing-to-publish"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "none": "no appraised assessment of {index} version {version} for {period} awaits "
        "publication",
    }
