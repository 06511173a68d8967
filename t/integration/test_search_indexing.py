"""Event indexing in OpenSearch (docs/reference/search.md): the events index and its aliases
made at start (§3), queried on the stack's OpenSearch node directly."""

from __future__ import annotations

import requests


def opensearch(stack, method: str, path: str, **kwargs):
    return requests.request(method, stack.opensearch.url + path, timeout=10, **kwargs)


def test_the_events_index_and_its_aliases_exist_with_the_mapping(stack):
    aliases = opensearch(stack, "GET", "/_alias/calendar-events-read,calendar-events-write")
    assert aliases.status_code == 200, aliases.text
    assert aliases.json() == {"calendar-events": {"aliases": {"calendar-events-read": {},
                                                              "calendar-events-write": {}}}}
    mapping = opensearch(stack, "GET", "/calendar-events/_mapping").json()
    properties = mapping["calendar-events"]["mappings"]["properties"]
    assert properties["start"] == {"type": "date"}
    assert properties["calendarURL"] == {"type": "keyword"}
    assert properties["summary"]["fields"]["prefix"]["analyzer"] == "calendar_event_summary_prefix_analyzer"
    assert properties["organizer"]["properties"]["email"]["fields"]["raw"] == {
        "type": "keyword", "normalizer": "case_insensitive"}
    settings = opensearch(stack, "GET", "/calendar-events/_settings").json()
    index = settings["calendar-events"]["settings"]["index"]
    assert index["max_ngram_diff"] == "4"
    assert index["analysis"]["filter"]["edge_ngram_filter"]["max_gram"] == "7"
