"""A test double of the part of XSOAR's `CommonServerPython` the generated integration uses
(`CommandResults`, `return_results`, `return_error`, `fileResult`, `EntryType`, and the
mirroring responses), written from
its documented behaviour; XSOAR's own file is on no package registry. Anything the script uses
beyond this would fail here first."""
import json
import os
import sys

import demistomock as demisto


class EntryType:
    NOTE = 1
    FILE = 3
    ERROR = 4
    WARNING = 11


class EntryFormat:
    HTML = "html"
    TABLE = "table"
    JSON = "json"
    TEXT = "text"
    MARKDOWN = "markdown"


entryTypes = {"note": 1, "file": 3, "error": 4, "warning": 11}
formats = {"html": "html", "table": "table", "json": "json", "text": "text", "markdown": "markdown"}


class CommandResults:
    def __init__(self, outputs_prefix=None, outputs_key_field=None, outputs=None, indicators=None,
                 readable_output=None, raw_response=None, indicators_timeline=None, indicator=None,
                 ignore_auto_extract=False, mark_as_note=False, tags=None, scheduled_command=None,
                 relationships=None, entry_type=None, content_format=None, execution_metrics=None,
                 replace_existing=False):
        if outputs is not None and not isinstance(outputs, dict) and not outputs_prefix:
            raise ValueError("outputs_prefix is missing")
        if outputs_prefix == ".":
            raise ValueError("outputs_prefix cannot be '.'")
        self.outputs_prefix = outputs_prefix
        self.outputs_key_field = outputs_key_field
        self.outputs = outputs
        self.readable_output = readable_output
        self.raw_response = outputs if raw_response is None else raw_response
        self.entry_type = EntryType.NOTE if entry_type is None else entry_type
        self.content_format = content_format
        self.mark_as_note = mark_as_note

    def to_context(self):
        human_readable = self.readable_output
        if not human_readable and self.outputs is not None and self.outputs != []:
            # XSOAR renders the outputs as a 'Results' table; JSON stands in for it here.
            human_readable = json.dumps(self.outputs)
        entry_context = {}
        if self.outputs is not None and self.outputs != []:
            if self.outputs_prefix and self.outputs_key_field:
                keys = self.outputs_key_field if isinstance(self.outputs_key_field, list) else [self.outputs_key_field]
                condition = " && ".join(f"val.{k} && val.{k} == obj.{k}" for k in keys)
                entry_context = {f"{self.outputs_prefix}({condition})": self.outputs}
            elif self.outputs_prefix:
                entry_context = {self.outputs_prefix: self.outputs}
            else:
                entry_context = dict(self.outputs)
        raw = self.raw_response
        content_format = self.content_format or ("text" if isinstance(raw, (str, bytes, int)) else "json")
        return {
            "Type": self.entry_type,
            "ContentsFormat": content_format,
            "Contents": raw,
            "HumanReadable": human_readable,
            "EntryContext": entry_context,
            "IndicatorTimeline": [],
            "IgnoreAutoExtract": False,
            "Note": self.mark_as_note,
            "Relationships": [],
        }


def return_results(results):
    if results is None:
        demisto.results(None)
    elif isinstance(results, list) and results:
        collected = []
        for item in results:
            if isinstance(item, (dict, str)):
                collected.append(item)
            else:
                return_results(item)
        if collected:
            demisto.results(collected)
    elif isinstance(results, CommandResults):
        demisto.results(results.to_context())
    elif isinstance(results, GetMappingFieldsResponse):
        demisto.results(results.extract_mapping())
    elif isinstance(results, GetRemoteDataResponse):
        demisto.results(results.extract_for_local())
    elif hasattr(results, "to_entry"):
        demisto.results(results.to_entry())
    else:
        demisto.results(results)


def return_error(message, error="", outputs=None):
    if demisto.command() in ("fetch-incidents", "fetch-credentials", "long-running-execution", "fetch-indicators"):
        raise Exception(message)
    demisto.results({"Type": entryTypes["error"], "ContentsFormat": formats["text"], "Contents": message,
                     "EntryContext": outputs})
    sys.exit(0)


def fileResult(filename, data, file_type=None):
    file_type = entryTypes["file"] if file_type is None else file_type
    temp = demisto.uniqueFile()
    filename = filename.replace("../", "")
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(demisto.investigation()["id"] + "_" + temp, "wb") as f:
        f.write(data)
    return {"Contents": "", "ContentsFormat": formats["text"], "Type": file_type, "File": filename, "FileID": temp}


class IncidentStatus:
    PENDING = 0
    ACTIVE = 1
    DONE = 2
    ARCHIVE = 3


class GetModifiedRemoteDataResponse:
    def __init__(self, modified_incident_ids):
        self.modified_incident_ids = modified_incident_ids

    def to_entry(self):
        demisto.info(f"Modified incidents: {self.modified_incident_ids}")
        return {"Contents": self.modified_incident_ids, "Type": EntryType.NOTE, "ContentsFormat": EntryFormat.JSON}


class GetRemoteDataResponse:
    def __init__(self, mirrored_object, entries):
        self.mirrored_object = mirrored_object
        self.entries = entries

    def extract_for_local(self):
        if self.mirrored_object:
            return [self.mirrored_object] + self.entries
        return None


class SchemeTypeMapping:
    def __init__(self, type_name="", fields=None):
        self.type_name = type_name
        self.fields = fields if fields else {}

    def add_field(self, name, description=""):
        self.fields[name] = description

    def extract_mapping(self):
        return {self.type_name: self.fields}


class GetMappingFieldsResponse:
    def __init__(self, scheme_types_mapping=None):
        self.scheme_types_mappings = scheme_types_mapping if scheme_types_mapping else []

    def add_scheme_type(self, scheme_type_mapping):
        self.scheme_types_mappings.append(scheme_type_mapping)

    def extract_mapping(self):
        all_mappings = {}
        for scheme_types_mapping in self.scheme_types_mappings:
            all_mappings.update(scheme_types_mapping.extract_mapping())
        return all_mappings
