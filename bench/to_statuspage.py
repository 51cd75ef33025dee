#!/usr/bin/env python3
"""Writes a Statuspage export from a built candor site, for timing `candor import`.

    to_statuspage.py PUBLIC_DIR OUT_DIR

PUBLIC_DIR is the output of `candor build` of a site whose history_days covers
all of it (so every incident has its incidents/ID/incident.json, in the
Statuspage API's shape). OUT_DIR gets what the public API v2 would give if it
listed everything: components.json (the built api/v2/components.json),
incidents.json and scheduled-maintenances.json (every incident and
maintenance, newest first). Uses only the standard library.
"""

import json
import os
import sys


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    public, out = argv[1], argv[2]
    with open(os.path.join(public, "api", "v2", "components.json"), encoding="utf-8") as f:
        components = json.load(f)
    incidents, maintenances = [], []
    root = os.path.join(public, "incidents")
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name, "incident.json")
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if "scheduled_maintenance" in data:
            maintenances.append(data["scheduled_maintenance"])
        else:
            incidents.append(data["incident"])
    incidents.sort(key=lambda i: i["created_at"], reverse=True)
    maintenances.sort(key=lambda i: i["scheduled_for"] or "", reverse=True)
    page = components["page"]
    os.makedirs(out, exist_ok=True)
    for name, value in (
        ("components.json", components),
        ("incidents.json", {"page": page, "incidents": incidents}),
        ("scheduled-maintenances.json", {"page": page, "scheduled_maintenances": maintenances}),
    ):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(value, f)
    print("wrote %d incidents and %d maintenances into %s" % (len(incidents), len(maintenances), out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
