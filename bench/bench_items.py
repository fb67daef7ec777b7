"""The bench projects' work items: COUNT realistic items (~1.3 KB each, spread over the six
stages, with depends_on lists, flags and acceptance criteria), the same bytes on every run.
Used by bench/story_list.sh and bench/item_writes.sh.

    write_items(project, count)             # the story_list.sh project
    write_items(project, count, idle=True)  # nothing for a pipeline to do: the items that are
                                            # not done or archived wait in the backlog, with
                                            # no depends_on (so none is promoted) and no
                                            # item in current, QA or merge
"""
import os
import random


def write_items(project, count, idle=False):
    rng = random.Random(42)  # the same project every run
    words = ["login", "export", "search", "billing", "profile", "session", "webhook", "import",
             "report", "invite", "calendar", "upload", "filter", "archive", "audit", "settings",
             "dashboard", "payments", "onboarding", "sync"]
    types = ["story"] * 7 + ["bug"] * 2 + ["spike", "refactor"]
    stages = ["1_backlog", "2_current", "3_qa", "4_merge", "5_done", "6_archived"]

    def stage_for(n):
        pct = n * 100 // count
        if pct < 35: return "6_archived"
        if pct < 80: return "5_done"
        stage = rng.choices(stages[:4], weights=[6, 2, 1, 1])[0]
        return "1_backlog" if idle else stage

    ids = {}
    def id_for(n):
        if n not in ids:
            ids[n] = f"{n}_{rng.choice(types)}_{rng.choice(words)}_{rng.choice(words)}_{n % 97}"
        return ids[n]

    def item_text(n):
        title = f"{rng.choice(words).capitalize()} {rng.choice(words)} improvements {n}"
        fm = [f'name: "{title}"', f"agent: coder-{rng.randint(1, 3)}"]
        if rng.random() < 0.25: fm.append(rng.choice(["qa: human", "qa: agent", "qa: server"]))
        fm.append(f"retry_count: {rng.choice([0, 0, 0, 1, 2])}")
        deps = rng.randint(0, 4) if n > 5 else 0
        if idle and n * 100 // count >= 80:  # goes to the backlog: nothing to promote
            deps = 0
        if deps:
            fm.append("depends_on:")
            fm += [f"  - {id_for(max(1, n - rng.randint(1, 50)))}" for _ in range(deps)]
        if rng.random() < 0.1:
            fm += ["blocked: true", 'blocked_reason: "waiting on the API team (see #12)"']
        if rng.random() < 0.08: fm.append("review_hold: true")
        if rng.random() < 0.05:
            fm += ["merge_failure: |",
                   "  CONFLICT (content): Merge conflict in src/app.cpp",
                   "  Automatic merge failed; fix conflicts and then commit the result."]
        kind = id_for(n).split("_")[1].capitalize()
        body = [f"# {kind} {n}: {title}", "", "## User Story", "",
                f"As a project member I want the {title.lower()} so that the team can ship the "
                "quarterly release without manual steps. Today people copy data between two "
                "screens and re-check it by hand, which is slow and error prone.", "",
                "## Acceptance Criteria", ""]
        for c in range(rng.randint(3, 8)):
            box = "x" if rng.random() < 0.4 else " "
            body.append(f"- [{box}] The {rng.choice(words)} view shows the expected result for "
                        f"case {c + 1} and keeps working after a reload")
        if rng.random() < 0.6:
            body += ["", "## Technical Notes", "",
                     f"The {rng.choice(words)} service owns this data; reuse its client rather than "
                     "adding a new one. Migrations must be reversible and run in under a minute on "
                     "the production data set. Log at info level only what an operator needs."]
        body += ["", "## Out of Scope", "", "- Mobile layouts",
                 "- Bulk operations over more than 1000 rows", "", "## Notes", "",
                 "See the design discussion in the team channel. Keep the public API unchanged; "
                 "add tests next to the existing ones.", ""]
        return "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body)

    work = os.path.join(project, ".storkit", "work")
    for stage in stages:
        os.makedirs(os.path.join(work, stage), exist_ok=True)
    total_bytes = 0
    for n in range(1, count + 1):
        text = item_text(n)
        total_bytes += len(text.encode())
        with open(os.path.join(work, stage_for(n), id_for(n) + ".md"), "w") as f:
            f.write(text)
    per_stage = {s: len(os.listdir(os.path.join(work, s))) for s in stages}
    print(f"project: {count} items, {total_bytes / 1e6:.1f} MB ({total_bytes // count} bytes/item "
          f"on average); per stage: " + ", ".join(f"{s}={c}" for s, c in per_stage.items()))
