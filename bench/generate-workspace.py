#!/usr/bin/env python3
"""Writes a realistic governance workspace of N issues (default 500) for the board benchmark.

Usage: bench/generate-workspace.py [--issues N] [--seed S] OUT_DIR

The layout is what examples/workspace holds and the workspace loader reads: planning markdown in
the seed's format (front matter, "### ID - Title" sections with Type:, Status:, Blocked by:,
criteria, Validator:, Human gate:) under planning/, one file per area of 50 issues, and YAML fact
files (admissions, contracts, approvals, runs, evidence) under facts/. The same seed gives the same
bytes. Every gate has work to do: issues at every stage (draft to validated), blockers (some unknown,
one cycle, one self-block), contracts on 25 repositories (some incomplete, some repositories not
admitted, expired, suspended or with secrets), approvals (some by the wrong person, of the wrong
scope, rejected, stale, or after the board's time), runs (a few outside the harness, with runtime
default activation, or touching forbidden, unlisted or invalid paths) and their evidence (some
failed, some rejected). Some parts are doubtful or unreadable on purpose: issues with a field given
twice or a heading given twice (issue-unreadable), facts recorded in two files (fact-conflict), and
an item with a bad timestamp (a load problem; the rest of its file loads).

Decide the board at 2026-06-02T10:00:00Z (the facts are dated around it).
"""
import argparse
import json
import os
import random

AT = "2026-06-02T10:00:00Z"
AREAS = ["billing", "reports", "search", "auth", "exports", "alerts", "storage", "ui", "api", "jobs"]
VERBS = ["Add", "Fix", "Speed up", "Rename", "Migrate", "Document", "Remove", "Split", "Cache", "Validate"]
THINGS = ["the report query", "the export job", "the login page", "the search index", "the invoice model",
          "the alert rules", "the storage layer", "the API client", "the retry policy", "the audit trail"]
VALIDATORS = ["mvn -q verify", "make test", "python3 -m pytest -q", "npm test", "harness/evals/health.sh --json"]


def ts(day, hour, minute=0):
    """A time in May or June 2026: day 1..31 is May, 32.. is June."""
    month, d = (5, day) if day <= 31 else (6, day - 31)
    return f"2026-{month:02d}-{d:02d}T{hour:02d}:{minute:02d}:00Z"


def item(fields):
    # JSON is YAML: one flow mapping per line, as examples/workspace/evidence.yaml writes them.
    return "  - " + json.dumps(fields, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="directory to write (created; existing files are overwritten)")
    parser.add_argument("--issues", type=int, default=500)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    n = args.issues
    ids = [f"GEN-{i:04d}" for i in range(1, n + 1)]
    repos = [f"gen/{area}-{k}" for area in AREAS for k in ("app", "lib")][:20] + [f"gen/tools-{k}" for k in range(5)]

    issues = []
    by_status = {}
    for i, issue_id in enumerate(ids):
        # Earlier issues of an area are further along, as in a real plan.
        r = rnd.random() - 0.3 + 0.6 * (i % 50) / 50
        status = ("validated" if r < 0.25 else "ready" if r < 0.45 else "candidate" if r < 0.80
                  else "blocked" if r < 0.90 else "draft")
        t = rnd.random()
        kind = "AFK" if t < 0.55 else "HITL"
        blockers = []
        if i > 0:
            earlier = ids[max(0, i - 40):i]
            if status == "validated" and rnd.random() < 0.9:
                # Mostly, an issue was validated after its blockers were.
                earlier = [e for e in earlier if by_status.get(e) == "validated"]
            for _ in range(rnd.choices([0, 1, 2, 3], [40, 35, 20, 5])[0] if earlier else 0):
                b = rnd.choice(earlier)
                if b not in blockers:
                    blockers.append(b)
        criteria = []
        for c in range(rnd.randint(1, 5)):
            done = status == "validated" and rnd.random() < 0.95 or status != "validated" and rnd.random() < 0.4
            criteria.append((f"{rnd.choice(THINGS).capitalize()} passes check {c + 1}.", done))
        gate = None
        if kind != "AFK" and rnd.random() < 0.7 or kind == "AFK" and rnd.random() < 0.05:
            gate = "JP must approve the task contract before execution."
        by_status[issue_id] = status
        issues.append({"id": issue_id, "area": AREAS[i * len(AREAS) // n], "status": status, "type": kind,
                       "blockers": blockers, "criteria": criteria, "gate": gate,
                       "title": f"{rnd.choice(VERBS)} {rnd.choice(THINGS)} ({issue_id})",
                       "validator": rnd.choice(VALIDATORS), "extra": []})

    by_id = {x["id"]: x for x in issues}
    # Blockers that are no known issue, a cycle of three and a self-block.
    for k in range(3):
        by_id[ids[(k * 97 + 11) % n]]["blockers"].append(f"GEN-{9000 + k}")
    a, b, c = ids[n // 3], ids[n // 3 + 1], ids[n // 3 + 2]
    by_id[a]["blockers"].append(c)
    by_id[b]["blockers"].append(a)
    by_id[c]["blockers"].append(b)
    by_id[ids[n // 2]]["blockers"].append(ids[n // 2])
    # Unreadable on purpose: a field given twice, a blocker that is no id, a heading given twice.
    by_id[ids[n // 5]]["extra"].append("Status: ready.")
    by_id[ids[2 * n // 5]]["extra"].append("Type: AFK")
    by_id[ids[3 * n // 5]]["extra"].append("Blocked by: soon")
    duplicate_heading = ids[4 * n // 5]

    os.makedirs(os.path.join(args.out, "planning"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "facts"), exist_ok=True)
    for area in AREAS:
        lines = ["---", f"name: generated-{area}-issues", "tier: local", "status: draft", "owner: jp",
                 "created: 2026-05-01", f"description: Generated {area} issues for the Gatehouse board benchmark.",
                 "---", f"# {area.capitalize()} Issues", "Generated planning file in the seed's format.",
                 "## Issue Sequence"]
        for x in (x for x in issues if x["area"] == area):
            section = [f"### {x['id']} - {x['title']}", f"Type: {x['type']}", f"Status: {x['status']}.",
                       "Blocked by: " + (", ".join(x["blockers"]) if x["blockers"] else "none"),
                       f"What to build: {x['title']}.", "Acceptance criteria:"]
            section += [f"- [{'x' if done else ' '}] {text}" for text, done in x["criteria"]]
            section.append(f"Validator: `{x['validator']}`")
            if x["gate"]:
                section.append(f"Human gate: {x['gate']}")
            section += x["extra"]
            lines += section
            if x["id"] == duplicate_heading:
                lines += section[:3]
        with open(os.path.join(args.out, "planning", f"{area}-issues.md"), "w") as f:
            f.write("\n".join(lines) + "\n")

    # Admissions: most current; two expired, one suspended, one with secrets, one without expiry, two missing.
    admissions = []
    for k, repo in enumerate(repos[:-2]):
        adm = {"repository": repo, "status": "admitted", "reviewedAt": ts(10 + k % 10, 12),
               "expiresAt": "2026-12-31T00:00:00Z", "referencesSecrets": False}
        if k in (3, 9):
            adm["expiresAt"] = ts(30, 0)
        elif k == 5:
            adm["status"] = "suspended"
        elif k == 7:
            adm["referencesSecrets"] = True
        elif k == 11:
            del adm["expiresAt"]
        admissions.append(adm)

    contracts, approvals, runs, evidence, late = [], [], [], [], []
    for x in issues:
        i = int(x["id"][4:])
        executable = x["status"] in ("ready", "candidate", "validated", "blocked")
        repo = repos[i % len(repos)]
        if executable and rnd.random() < 0.85:
            contract = {"issue": x["id"], "repository": repo, "allowedPaths": ["src/**", "test/**"],
                        "forbiddenPaths": [".github/**", "secrets/**"], "forbiddenActions": ["force-push"],
                        "successCriteria": [f"{x['validator']} passes"], "validationCommand": x["validator"],
                        "rollback": "git revert the single commit"}
            if rnd.random() < 0.05:
                contract["forbiddenActions"] = []
            if rnd.random() < 0.03:
                contract["rollback"] = " "
            contracts.append(contract)
        if x["type"] != "AFK" or x["gate"]:
            a = rnd.random()
            approver, scope, decision = "JP" if rnd.random() < 0.6 else "Hermes", "execute", "approved"
            if a < 0.15:
                approver = None
            elif a < 0.20:
                approver = "alice"
            elif a < 0.25:
                scope = "validate"
            if approver:
                appr = {"id": f"A-{x['id']}", "issue": x["id"], "approver": approver, "scope": scope,
                        "statement": f"I approve {scope} of {x['id']} under its task contract.",
                        "recordedAt": ts(20 + i % 10, 9), "decision": decision}
                if rnd.random() < 0.03:
                    appr["contractDigest"] = "sha256:" + "0" * 64
                approvals.append(appr)
            if rnd.random() < 0.04:
                approvals.append({"id": f"A-{x['id']}-rejected", "issue": x["id"], "approver": "Hermes",
                                  "scope": "execute", "statement": "Not with this rollback.",
                                  "recordedAt": ts(31, 9), "decision": "rejected"})
            if rnd.random() < 0.03:
                approvals.append({"id": f"A-{x['id']}-later", "issue": x["id"], "approver": "JP", "scope": "execute",
                                  "statement": "Approved after the board's time.", "recordedAt": ts(40, 9)})
        ran = x["status"] == "validated" and rnd.random() < 0.9 or x["status"] == "ready" and rnd.random() < 0.5
        if ran:
            run_id = f"R-{x['id']}"
            start = 22 + i % 8
            touched = [f"src/{x['area']}/File{k}.java" for k in range(rnd.randint(1, 4))]
            p = rnd.random()
            if p < 0.04:
                touched.append(".github/workflows/ci.yml")
            elif p < 0.06:
                touched.append("docs/notes.md")
            elif p < 0.065:
                touched.append("../etc/passwd")
            runs.append({"id": run_id, "issue": x["id"], "via": "cto-harness" if rnd.random() > 0.01 else "manual",
                         "runtimeDefaultActivation": rnd.random() < 0.01, "firstMutationAt": ts(start, 10),
                         "touchedPaths": touched})

            def ev(kind, hour, passed=True, phase="after-run", suffix=None):
                evidence.append({"id": f"E-{x['id']}-{suffix or kind}", "issue": x["id"], "kind": kind,
                                 "path": f"runs/{run_id}/{kind}.json", "passed": passed, "phase": phase,
                                 "recordedAt": ts(start, hour)})
            ev("harness-artifact", 11, rnd.random() > 0.05)
            ev("validator-run", 12, rnd.random() > 0.08)
            if rnd.random() < 0.9:
                ev("replay-path", 13)
            if x["status"] == "validated" or rnd.random() < 0.5:
                ev("operator-acceptance", 14)
                if rnd.random() < 0.04:
                    ev("operator-rejection", 15, False)
                ev("health-check", 16, rnd.random() > 0.1, "before-merge", "health-before")
                if x["status"] == "validated" and rnd.random() < 0.8:
                    ev("health-check", 18, True, "after-merge", "health-after")
        elif x["status"] == "validated":
            evidence.append({"id": f"E-{x['id']}-validator-run", "issue": x["id"], "kind": "validator-run",
                             "path": f"validators/{x['id']}.log", "passed": True, "phase": "after-run",
                             "recordedAt": ts(15, 9)})

    # Facts recorded in two files (fact-conflict for their issues), and one item with a bad time.
    late += [dict(evidence[k], path="late/" + evidence[k]["path"]) for k in (5, 50, 150) if k < len(evidence)]
    broken = [{"id": "E-broken", "issue": ids[0], "kind": "validator-run", "path": "x", "passed": True,
               "phase": "after-run", "recordedAt": "soon"}]

    def write(name, kind, header, items):
        with open(os.path.join(args.out, "facts", name), "w") as f:
            f.write(f"# {header}\n{kind}:\n" + "".join(item(x) + "\n" for x in items))

    write("admissions.yaml", "admissions", "Target repository admissions.", admissions)
    write("contracts.yaml", "contracts", "Task contracts.", contracts)
    write("approvals.yaml", "approvals", "Human approvals.", approvals)
    write("runs.yaml", "runs", "Runs of coding tasks.", runs)
    write("evidence.yaml", "evidence", "Evidence from the harness, validators, the operator and health checks.",
          evidence)
    write("evidence-late.yaml", "evidence", "Evidence copied in again by a late sync: each is also in evidence.yaml.",
          late + broken)
    print(f"wrote {args.out}: {n} issues in {len(AREAS)} planning files, {len(admissions)} admissions, "
          f"{len(contracts)} contracts, {len(approvals)} approvals, {len(runs)} runs, "
          f"{len(evidence) + len(late) + len(broken)} evidence records")


if __name__ == "__main__":
    main()
