"""A code cell's outputs as a reader sees them, to compare two executions of the same cell."""

from __future__ import annotations

import json


def comparable(outputs: list) -> list[tuple]:
    """Consecutive text on one stream read as one text (how a kernel cuts its prints into messages
    depends on timing), without execution counts or metadata."""
    seen: list[tuple] = []
    for output in outputs:
        if output["output_type"] == "stream":
            text = "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
            if seen and seen[-1][0] == "stream" and seen[-1][1] == output["name"]:
                seen[-1] = ("stream", output["name"], seen[-1][2] + text)
            else:
                seen.append(("stream", output["name"], text))
        else:
            seen.append((output["output_type"], json.dumps(output.get("data", {}), sort_keys=True),
                         output.get("ename"), output.get("evalue")))
    return seen
