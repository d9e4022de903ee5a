"""Retrace's own check for schemathesis (scripts/schemathesis.sh).

schemathesis.toml lets valid data be refused with 422, because rules about
other records answer so. This check keeps that from hiding a contract that
says less than the server checks: a 422 to a request the document calls valid
must not name one of the bounds or formats a schema states (the validator's
code in `errors[].code`).
"""

import schemathesis

# The validator's codes for what an OpenAPI schema can say of a value, and
# `json`: a value of the wrong type or shape (an unknown field or variant, a
# missing field), as serde refuses it (`extract::DATA_CODE`).
SCHEMA_CODES = {"length", "range", "email", "url", "regex", "required", "json"}


@schemathesis.check
def refusals_name_no_undocumented_bound(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code != 422:
        return None
    try:
        problem = response.json()
    except ValueError:
        return None
    broken = [
        error
        for error in problem.get("errors", [])
        if isinstance(error, dict) and error.get("code") in SCHEMA_CODES
    ]
    if broken:
        raise AssertionError(
            "A request valid by the document was refused for a bound or a format "
            f"the document does not state: {broken}"
        )
    return None
