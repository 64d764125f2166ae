"""A test double of XSOAR's `demistomock`, written from its documented behaviour: the calls an
integration makes, with what the platform would hand over set by the test (`reset`) and what
the integration hands back recorded (`state`). Not XSOAR's file, which is on no package
registry."""
import json
import logging
import uuid

state = {}


def reset(params=None, args=None, command="", incident=None, context=None, last_run=None, instance=""):
    state.clear()
    state.update(
        params=params or {},
        args=args or {},
        command=command,
        incident=incident,
        context=context or {},
        last_run=last_run,
        instance=instance,
        results=[],
        incidents=None,
        next_last_run=None,
    )


# The integration context outlives a command, as XSOAR keeps it per instance: reset leaves it.
integration_context = {}


reset()


def params():
    return state["params"]


def args():
    return state["args"]


def command():
    return state["command"]


def incident():
    return state["incident"]


def context():
    return state["context"]


def getLastRun():
    return state["last_run"] or {}


def setLastRun(obj):
    state["next_last_run"] = obj


def incidents(incidents=None):
    state["incidents"] = incidents


def results(results):
    state["results"].append(results)


def integrationInstance():
    return state["instance"]


def investigation():
    return {"id": "1"}


def uniqueFile():
    return str(uuid.uuid4())


def error(msg, *args):
    logging.error(msg)


def debug(msg, *args):
    logging.debug(msg)


def info(msg, *args):
    logging.info(msg)


callingContext = {}


def getIntegrationContext():
    """A copy, as XSOAR hands one over: changes count only once set."""
    return json.loads(json.dumps(integration_context))


def setIntegrationContext(context):
    integration_context.clear()
    integration_context.update(json.loads(json.dumps(context)))
